import { Decimal } from './decimal.ts';
import { describe, expect, it } from 'vitest';
import { ConversionGraph } from './ConversionGraph.ts';

const graph = (prices: Record<string, string>) => {
  const conversions = new ConversionGraph();
  for (const [instrument, price] of Object.entries(prices)) conversions.setPrice(instrument, new Decimal(price));
  return conversions;
};

describe('ConversionGraph', () => {
  it('converts along a direct price and its inverse', () => {
    const conversions = graph({ 'USDT/USD': '0.998' });
    expect(conversions.convert(new Decimal(100), 'USDT', 'USD')?.toFixed()).toBe('99.8');
    expect(conversions.convert(new Decimal('99.8'), 'USD', 'USDT')?.toFixed()).toBe('100');
  });

  it('finds a path across instruments (BNB -> USDT -> USD via USD/USDT)', () => {
    const conversions = graph({ 'BNB/USDT': '600', 'USD/USDT': '1.25' });
    expect(conversions.convert(new Decimal(2), 'BNB', 'USD')?.toFixed()).toBe('960');
  });

  it('takes a derivative price as its base/quote and leaves a currency as itself', () => {
    const conversions = graph({ 'BTC/USDT:USDT': '60000' });
    expect(conversions.convert(new Decimal('0.5'), 'BTC', 'USDT')?.toFixed()).toBe('30000');
    expect(conversions.convert(new Decimal(7), 'EUR', 'EUR')?.toFixed()).toBe('7');
  });

  it('returns null when no path exists, never a guessed rate', () => {
    const conversions = graph({ 'BTC/USDT': '60000', 'ETH/EUR': '3000' });
    expect(conversions.convert(new Decimal(1), 'ETH', 'USDT')).toBeNull();
    expect(conversions.rate('XYZ', 'USDT')).toBeNull();
  });

  it('uses the latest price of an instrument', () => {
    const conversions = graph({ 'BTC/USDT': '60000' });
    conversions.setPrice('BTC/USDT', new Decimal('61000'));
    expect(conversions.rate('BTC', 'USDT')?.toFixed()).toBe('61000');
  });
});

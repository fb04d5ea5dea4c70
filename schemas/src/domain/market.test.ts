import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../messages/examples.ts';
import type { SymbolMetadata } from '../messages/SymbolMetadata.ts';
import { Decimal, formatDecimal } from './decimal.ts';
import { InvalidInputError } from './errors.ts';
import { notional, parseSymbolMetadata, quantityUnit, toSymbolMetadata, venueQuantity, type Market } from './market.ts';
import { validateSymbol } from './symbols.ts';

const message = EXAMPLES.find((e) => e.schema.name === 'SymbolMetadata')!.value as SymbolMetadata;
const d = (s: string) => new Decimal(s);
const spot = parseSymbolMetadata({ ...message, instrument: 'BTC/USDT', base: 'BTC', quote: 'USDT', settle: null, contractSize: null });
const linear: Market = { ...spot, instrument: validateSymbol('BTC/USDT:USDT'), contractSize: d('0.01') };
const inverse: Market = { ...spot, quote: 'USD', contractSize: d('100'), inverse: true };

describe('market from symbol metadata', () => {
  it('parses every decimal and writes the same message back', () => {
    const market = parseSymbolMetadata(message);
    expect(market.priceTick?.eq('0.0005')).toBe(true);
    expect(market.strike?.eq('22000')).toBe(true);
    expect(toSymbolMetadata(market, message.eventId, message.receivedAtMs)).toEqual(message);
  });

  it('refuses a non-decimal limit, naming venue, instrument and field', () => {
    expect(() => parseSymbolMetadata({ ...message, priceTick: '5e-4' })).toThrow(
      new InvalidInputError('okx BTC/USD:BTC-220520-22000-C priceTick: "5e-4" is not a decimal'),
    );
  });
});

describe('venue quantities', () => {
  it.each([
    ['spot, base amount', spot, '0.5', 'BASE', null, '0.5'],
    ['spot, quote amount at a price', spot, '100', 'QUOTE', '40000', '0.0025'],
    ['spot, quote amount without a price', spot, '100', 'QUOTE', null, null],
    // A linear contract's quantities are in the base asset whatever its size (the connector converts).
    ['linear contracts of 0.01 BTC', linear, '0.5', 'BASE', null, '0.5'],
    ['linear contracts, quote amount', linear, '400', 'QUOTE', '40000', '0.01'],
    ['inverse contracts of 100 USD, quote amount', inverse, '1000', 'QUOTE', null, '10'],
    ['inverse contracts, base amount at a price', inverse, '0.5', 'BASE', '40000', '200'],
    ['inverse contracts, base amount without a price', inverse, '0.5', 'BASE', null, null],
  ] as const)('%s', (_case, market, amount, type, price, expected) => {
    const quantity = venueQuantity(market, d(amount), type, price === null ? null : d(price));
    expect(quantity && formatDecimal(quantity)).toBe(expected);
  });

  it('values a quantity in the quote currency', () => {
    expect(formatDecimal(notional(spot, d('0.0025'), d('40000')))).toBe('100');
    expect(formatDecimal(notional(linear, d('0.01'), d('40000')))).toBe('400');
    expect(formatDecimal(notional(inverse, d('10'), d('40000')))).toBe('1000');
  });

  it('names the unit', () => {
    expect(quantityUnit(spot)).toBe('BTC');
    expect(quantityUnit(linear)).toBe('BTC');
    expect(quantityUnit(inverse)).toBe('contracts');
  });
});

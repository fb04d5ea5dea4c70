import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import type { PositionFill } from './PositionFill.ts';
import { foldFills, type PositionState } from './PositionState.ts';

const key = { portfolio: 'p', account: 'a', venue: 'binance', instrument: 'BTC/USDT' };
let next = 0;
function fill(side: 'BUY' | 'SELL', quantity: string, price: string, fee = '0', feeCurrency = 'USDT'): PositionFill {
  next += 1;
  return { ...key, tradeId: `t${next}`, side, quantity: new Decimal(quantity), price: new Decimal(price), fee: new Decimal(fee), feeCurrency, venueTimeMs: next };
}
const fold = (...fills: PositionFill[]): PositionState => foldFills(key, fills);
const shown = (p: PositionState) => ({
  quantity: p.quantity.toFixed(),
  entry: p.averageEntryPrice?.toFixed() ?? null,
  realized: p.realizedPnl.toFixed(),
});

describe('PositionFold', () => {
  it('weights the entry price over increases', () => {
    expect(shown(fold(fill('BUY', '1', '100'), fill('BUY', '3', '200')))).toEqual({ quantity: '4', entry: '175', realized: '0' });
  });

  it('books realized PnL on a reduction and keeps the entry', () => {
    expect(shown(fold(fill('BUY', '2', '100'), fill('SELL', '0.5', '120')))).toEqual({ quantity: '1.5', entry: '100', realized: '10' });
  });

  it('books a short the other way round', () => {
    expect(shown(fold(fill('SELL', '2', '100'), fill('BUY', '1', '90')))).toEqual({ quantity: '-1', entry: '100', realized: '10' });
  });

  it('is flat with no entry when closed exactly', () => {
    expect(shown(fold(fill('BUY', '1', '100'), fill('SELL', '1', '95')))).toEqual({ quantity: '0', entry: null, realized: '-5' });
  });

  it('resets the entry to the fill price when the position flips through zero', () => {
    expect(shown(fold(fill('BUY', '1', '100'), fill('SELL', '3', '110')))).toEqual({ quantity: '-2', entry: '110', realized: '10' });
  });

  it('sums fees per currency, rebates negative, apart from realized PnL', () => {
    const position = fold(fill('BUY', '1', '100', '0.1'), fill('SELL', '1', '100', '0.001', 'BNB'), fill('BUY', '1', '100', '-0.02'));
    expect(Object.fromEntries([...position.fees].map(([c, a]) => [c, a.toFixed()]))).toEqual({ USDT: '0.08', BNB: '0.001' });
    expect(position.realizedPnl.toFixed()).toBe('0');
  });

  it('keeps exact decimals where floating point would not', () => {
    expect(shown(fold(fill('BUY', '0.1', '0.3'), fill('SELL', '0.1', '0.6')))).toEqual({ quantity: '0', entry: null, realized: '0.03' });
  });
});

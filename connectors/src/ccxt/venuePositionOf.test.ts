import type { Position } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { venuePositionOf } from './toMessages.ts';

describe('venuePositionOf', () => {
  it('signs ccxt\'s unsigned contracts by side, in contracts, with the entry and mark prices exact', () => {
    const position = (side: string, contracts: number) => ({ symbol: 'BTC/USDT:USDT', side, contracts, entryPrice: 64000.1, markPrice: 64010.35, info: {} }) as Position;
    expect(venuePositionOf(position('long', 0.25))).toEqual({ instrument: 'BTC/USDT:USDT', quantity: '0.25', entryPrice: '64000.1', markPrice: '64010.35' });
    expect(venuePositionOf(position('short', 0.003)).quantity).toBe('-0.003');
  });

  it('refuses a position without a symbol', () => {
    expect(() => venuePositionOf({ side: 'long', contracts: 1, info: {} } as unknown as Position)).toThrow('ccxt position: missing symbol');
  });
});

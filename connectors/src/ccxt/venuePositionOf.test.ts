import type { Position } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { venuePositionOf } from './venuePositionOf.ts';

describe('venuePositionOf', () => {
  const position = (side: string, contracts: number, more: Partial<Position> = {}) =>
    ({ symbol: 'BTC/USDT:USDT', side, contracts, entryPrice: 64000.1, markPrice: 64010.35, info: {}, ...more }) as Position;

  it('signs ccxt\'s unsigned contracts by side, in contracts, with the entry and mark prices exact', () => {
    expect(venuePositionOf(position('long', 0.25))).toEqual({ instrument: 'BTC/USDT:USDT', quantity: '0.25', entryPrice: '64000.1', markPrice: '64010.35', unrealizedPnl: null, margin: null });
    expect(venuePositionOf(position('short', 0.003)).quantity).toBe('-0.003');
  });

  it('carries the venue\'s leverage, margin mode, initial margin, liquidation price and unrealized PnL as decimals', () => {
    const reported = venuePositionOf(position('long', 0.25, { leverage: 20, marginMode: 'isolated', initialMargin: 800.0129375, liquidationPrice: 61234.56, unrealizedPnl: 2.5625 }));
    expect(reported).toMatchObject({ unrealizedPnl: '2.5625', margin: { leverage: '20', marginMode: 'isolated', initialMargin: '800.0129375', liquidationPrice: '61234.56' } });
    // A venue that reports some: the rest are null, not zero.
    expect(venuePositionOf(position('long', 0.25, { leverage: 5 })).margin).toEqual({ leverage: '5', marginMode: null, initialMargin: null, liquidationPrice: null });
  });

  it('refuses a position without a symbol', () => {
    expect(() => venuePositionOf({ side: 'long', contracts: 1, info: {} } as unknown as Position)).toThrow('ccxt position: missing symbol');
  });
});

import type { SymbolMetadata } from '@crossvenue/schemas';
import { spotMarket } from '../execution/executionFixtures.ts';
import { parseFollower, type FollowerConfig } from './FollowerConfig.ts';

/** Builders shared by the synchronizer's tests. */

/** The rules of a market: a spot BTC/USDT with a 0.001 lot and a 10 USDT minimum, or, for a `BASE/QUOTE:SETTLE` instrument, a linear perpetual. */
export function symbolMetadata(venue: string, instrument: string, overrides: Partial<SymbolMetadata> = {}): SymbolMetadata {
  const perp = instrument.includes(':');
  return {
    ...spotMarket(venue),
    eventId: `meta:${venue}:${instrument}`,
    instrument,
    venueSymbol: instrument.replace(/[/:]/g, ''),
    assetType: perp ? 'PERP' : 'SPOT',
    base: instrument.split('/')[0]!,
    quote: instrument.split('/')[1]!.split(':')[0]!,
    settle: perp ? 'USDT' : null,
    minNotional: '10',
    reduceOnly: true,
    receivedAtMs: 1,
    ...overrides,
  };
}

/** A follower of binance/leader in portfolio copy, with the settings given. */
export function follower(overrides: Record<string, unknown> = {}): FollowerConfig {
  return parseFollower(
    {
      name: 'copy-1',
      leader: { venue: 'binance', account: 'leader' },
      portfolio: 'copy',
      account: 'follower-1',
      venue: 'binance',
      sizing: { mode: 'ratio', ratio: '0.5' },
      ...overrides,
    },
    'follower',
  );
}

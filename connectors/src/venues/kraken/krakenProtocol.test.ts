import { createLogger } from '@crossvenue/runtime';
import { describe, expect, it } from 'vitest';
import type { FeedContext } from '../../native/BookProtocol.ts';
import { venueSymbolOf } from '../nativeVenues.ts';
import { KrakenProtocol } from './krakenProtocol.ts';

const logger = createLogger('kraken-native-test', { level: 'silent' });

describe('KrakenProtocol', () => {
  it('subscribes the smallest book depth that covers the published one, and resubscribes a pair on a resync', () => {
    const sent: unknown[] = [];
    const context: FeedContext = { send: (frame) => sent.push(frame), fetchJson: () => Promise.reject(new Error('kraken needs no REST')), emit: () => {} };
    const protocol = new KrakenProtocol({ venue: 'kraken', wsUrl: 'wss://ws.kraken.com', symbols: ['XBT/USD', 'ETH/EUR'], depth: 20, logger });
    protocol.opened(context);
    protocol.resync('ETH/EUR', context);
    const subscription = { name: 'book', depth: 25 };
    expect(sent).toEqual([
      { event: 'subscribe', pair: ['XBT/USD', 'ETH/EUR'], subscription },
      { event: 'unsubscribe', pair: ['ETH/EUR'], subscription },
      { event: 'subscribe', pair: ['ETH/EUR'], subscription },
    ]);
    expect(() => new KrakenProtocol({ venue: 'kraken', wsUrl: 'wss://ws.kraken.com', symbols: [], depth: 1001, logger })).toThrow('kraken books go to 1000 levels, asked for 1001');
  });

  it('names pairs as Kraken ws v1 does', () => {
    expect(venueSymbolOf('kraken', 'BTC/USD')).toBe('XBT/USD');
    expect(venueSymbolOf('kraken', 'DOGE/EUR')).toBe('XDG/EUR');
    expect(venueSymbolOf('kraken', 'ETH/CHF')).toBe('ETH/CHF');
    expect(() => venueSymbolOf('kraken', 'BTC/USD:USD')).toThrow('BTC/USD:USD: the kraken adapter serves spot, written BASE/QUOTE');
  });
});


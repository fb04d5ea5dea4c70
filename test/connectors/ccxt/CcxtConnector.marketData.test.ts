import { TOPICS, type BookSnapshot, type SymbolMetadata, type VenueHealth } from '@crossvenue/schemas';
import { waitFor } from '@crossvenue/runtime/testing';
import { describe, expect, it } from 'vitest';
import { ccxtClientFor } from '@crossvenue/connectors';
import { collectInto, connectorOnSimulatedVenue, quietConnector } from './connectorFixtures.ts';

const ACCOUNT = { venue: 'md-connector', account: 'md-trader', portfolio: 'md-portfolio' };

describe('CcxtConnector with SYMBOLS: the market-data side beside the account side', () => {
  const health: VenueHealth[] = [];
  const symbols: SymbolMetadata[] = [];
  const books: BookSnapshot[] = [];
  const run = connectorOnSimulatedVenue({
    venue: { name: 'md-connector', flowIntervalMs: 20, seed: 7 },
    subscribe: async (messages) => {
      await collectInto(messages, TOPICS.venueHealth, health);
      await collectInto(messages, TOPICS.symbols, symbols);
      await collectInto(messages, TOPICS.bookSnapshots, books);
    },
    connect: (exchange, messages) => quietConnector({ exchange, messages, ...ACCOUNT, reconnectDelayMs: 100, marketData: { symbols: ['ETH/USDT'], bookIntervalMs: 50 } }),
  });

  it('publishes the metadata at start, books as the venue trades, and the book staleness in venue health', async () => {
    expect(symbols.map((s) => s.instrument)).toEqual(['ETH/USDT']);
    await waitFor('book snapshots from the moving book', () => books.length >= 3, 10_000);
    await run.connector.publishHealth();
    await waitFor('health', () => health.length > 0, 5_000);
    const staleness = health.at(-1)!.bookStalenessMs;
    expect(staleness).not.toBeNull();
    expect(staleness!).toBeLessThan(5_000);
  });

  it('an unknown symbol stops the start with one line naming it', async () => {
    const other = quietConnector({ exchange: ccxtClientFor(run.venue.endpoints), messages: run.messages, ...ACCOUNT, marketData: { symbols: ['ETH/USDT', 'DOGE/USDT'] } });
    await expect(other.start()).rejects.toThrow('SYMBOLS: md-connector (ccxt binance) has no market DOGE/USDT');
    await other.stop();
  });
});

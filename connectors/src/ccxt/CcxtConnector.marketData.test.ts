import { createLogger, InProcessBus, LocalCodec, MessageBus, TOPICS, waitFor, type BookSnapshot, type SymbolMetadata, type VenueHealth } from '@crossvenue/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ccxtClientFor } from '../simulated/ccxtClientFor.ts';
import type { SimulatedVenue } from '../simulated/SimulatedVenue.ts';
import { startTestVenue } from '../simulated/testVenue.ts';
import { CCXT_CONNECTOR_TOPICS, CcxtConnector } from './CcxtConnector.ts';

describe('CcxtConnector with SYMBOLS: the market-data side beside the account side', () => {
  const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('md-connector', { level: 'silent' }));
  const health: VenueHealth[] = [];
  const symbols: SymbolMetadata[] = [];
  const books: BookSnapshot[] = [];
  let venue: SimulatedVenue;
  let connector: CcxtConnector;

  beforeAll(async () => {
    const started = await startTestVenue({ name: 'md-connector', flowIntervalMs: 20, seed: 7 });
    venue = started.venue;
    await messages.prepare(CCXT_CONNECTOR_TOPICS);
    const into = <T>(list: T[]) => async (batch: Array<{ value: T }>) => void list.push(...batch.map((m) => m.value));
    await messages.subscribe({ groupId: 'health', topics: [TOPICS.venueHealth], fromBeginning: true, handle: into(health) });
    await messages.subscribe({ groupId: 'symbols', topics: [TOPICS.symbols], fromBeginning: true, handle: into(symbols) });
    await messages.subscribe({ groupId: 'books', topics: [TOPICS.bookSnapshots], fromBeginning: true, handle: into(books) });
    connector = new CcxtConnector({
      exchange: ccxtClientFor(started.endpoints),
      venue: 'md-connector',
      account: 'md-trader',
      portfolio: 'md-portfolio',
      instruments: ['ETH/USDT'],
      messages,
      logger: createLogger('ccxt-connector', { level: 'silent' }),
      snapshotIntervalMs: 60_000,
      healthIntervalMs: 60_000,
      reconnectDelayMs: 100,
      marketData: { symbols: ['ETH/USDT'], bookIntervalMs: 50 },
    });
    await connector.start();
  });

  afterAll(async () => {
    await connector.stop();
    await venue.stop();
    await messages.bus.close();
  });

  it('publishes the metadata at start, books as the venue trades, and the book staleness in venue health', async () => {
    expect(symbols.map((s) => s.instrument)).toEqual(['ETH/USDT']);
    await waitFor('book snapshots from the moving book', () => books.length >= 3, 10_000);
    await connector.publishHealth();
    await waitFor('health', () => health.length > 0, 5_000);
    const staleness = health.at(-1)!.bookStalenessMs;
    expect(staleness).not.toBeNull();
    expect(staleness!).toBeLessThan(5_000);
  });

  it('an unknown symbol stops the start with one line naming it', async () => {
    const other = new CcxtConnector({
      exchange: ccxtClientFor(venue.endpoints),
      venue: 'md-connector',
      account: 'md-trader',
      portfolio: 'md-portfolio',
      instruments: ['ETH/USDT'],
      messages,
      logger: createLogger('ccxt-connector', { level: 'silent' }),
      marketData: { symbols: ['ETH/USDT', 'DOGE/USDT'] },
    });
    await expect(other.start()).rejects.toThrow('SYMBOLS: md-connector (ccxt binance) has no market DOGE/USDT');
    await other.stop();
  });
});

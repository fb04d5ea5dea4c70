import { createLogger, Decimal, InProcessBus, LocalCodec, MessageBus, TOPICS, waitFor, type Alert, type BookSnapshot } from '@crossvenue/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimulatedVenue, VenueDialect } from '../simulated/SimulatedVenue.ts';
import { startTestVenue } from '../simulated/testVenue.ts';
import { NativeBookConnector } from './NativeBookConnector.ts';

const DEPTH = 5;
const logger = createLogger('native-books-test', { level: 'silent' });
const normalize = (levels: Array<{ price: string; quantity: string }>) => levels.map(({ price, quantity }) => `${new Decimal(price).toFixed()}x${new Decimal(quantity).toFixed()}`);

/**
 * The native adapters against the simulator's real WebSocket and REST, over the in-process bus:
 * what they publish must be the venue's own book, before and after a withheld book update and a
 * dropped connection, each of which is reported as exactly one BOOK_RESYNC alert.
 */
describe.each([
  ['binance', 'binance'],
  ['bybit', 'bybit'],
] as const)('native %s book adapter against the simulator', (dialect: VenueDialect, kind) => {
  let venue: SimulatedVenue;
  let connector: NativeBookConnector;
  let books: BookSnapshot[];
  let alerts: Alert[];
  let messages: MessageBus;

  beforeEach(async () => {
    ({ venue } = await startTestVenue({ dialect, name: `sim-${dialect}` }));
    messages = new MessageBus(new InProcessBus(), new LocalCodec(), logger);
    await messages.prepare([TOPICS.bookSnapshots, TOPICS.alerts]);
    books = [];
    alerts = [];
    await messages.subscribe({ groupId: 'books', topics: [TOPICS.bookSnapshots], fromBeginning: true, handle: async (batch) => void books.push(...batch.map((m) => m.value)) });
    await messages.subscribe({ groupId: 'alerts', topics: [TOPICS.alerts], fromBeginning: true, handle: async (batch) => void alerts.push(...batch.map((m) => m.value)) });
    const { wsUrl, restUrl } = venue.endpoints;
    connector = new NativeBookConnector({ kind, venue: `sim-${dialect}`, instruments: ['BTC/USDT'], depth: DEPTH, bookIntervalMs: 0, messages, logger, wsUrl, restUrl, backoff: { initialMs: 20, maxMs: 200 } });
    connector.start();
  });

  afterEach(async () => {
    await connector.stop();
    await venue.stop();
    await messages.bus.close();
  });

  const venueBook = () => {
    const { bids, asks } = venue.engine.depth('BTCUSDT', DEPTH);
    const text = (levels: typeof bids) => levels.map((level) => `${level.price.toFixed()}x${level.total.toFixed()}`);
    return { bids: text(bids), asks: text(asks) };
  };
  const publishedBook = () => {
    const last = books.at(-1);
    return last && { bids: normalize(last.bids), asks: normalize(last.asks) };
  };
  const inSync = () => waitFor('the published book to equal the venue\'s', () => JSON.stringify(publishedBook()) === JSON.stringify(venueBook()), 5000);
  /** Adds to the best bid's level: a change inside the published depth. */
  const touchBestBid = (quantity: string) => {
    const best = venue.engine.depth('BTCUSDT', 1).bids[0]!.price;
    venue.engine.place({ account: 'trader', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: new Decimal(quantity), price: best });
  };

  it('publishes the venue\'s book and follows its changes', async () => {
    await inSync();
    expect(books[0]).toMatchObject({ venue: `sim-${dialect}`, instrument: 'BTC/USDT', venueSymbol: 'BTCUSDT' });
    touchBestBid('0.013');
    await inSync();
    touchBestBid('0.021');
    await inSync();
    expect(alerts).toEqual([]);
  });

  it('resyncs once after a withheld book update, then publishes the venue\'s book again', async () => {
    await inSync();
    touchBestBid('0.01');
    await inSync();
    venue.faults.set({ skipBookUpdates: 1 });
    touchBestBid('0.011');
    await waitFor('the withheld push', () => venue.faults.current.skipBookUpdates === 0, 2000);
    touchBestBid('0.012');
    await waitFor('a resync alert', () => alerts.length > 0, 5000);
    await inSync();
    expect(alerts).toEqual([expect.objectContaining({ code: 'BOOK_RESYNC', venue: `sim-${dialect}`, message: expect.stringContaining('sequence gap') })]);
    touchBestBid('0.014');
    await inSync();
    expect(alerts).toHaveLength(1);
  });

  it('resyncs once after a dropped connection, reconnects, then publishes the venue\'s book again', async () => {
    await inSync();
    venue.dropConnections();
    touchBestBid('0.017');
    await waitFor('a resync alert', () => alerts.length > 0, 5000);
    await inSync();
    touchBestBid('0.019');
    await inSync();
    expect(alerts).toEqual([expect.objectContaining({ code: 'BOOK_RESYNC', message: expect.stringContaining('connection lost') })]);
  });
});

import { createLogger, InProcessBus, MessageBus } from '@crossvenue/runtime';
import { LocalCodec, TOPICS, type Alert, type BookSnapshot } from '@crossvenue/schemas';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BookEvent } from '../book/BookEvent.ts';
import { BookPublisher } from './BookPublisher.ts';

const logger = createLogger('book-publisher-test', { level: 'silent' });
const book = (sequence: number, bid: string): BookEvent => ({
  type: 'book', venue: 'binance', symbol: 'BTCUSDT', sequence, source: 'delta', venueTimeMs: 1_000 + sequence, receivedAtMs: 2_000 + sequence, bids: [[bid, '1']], asks: [['101', '2']],
});

describe('BookPublisher', () => {
  let now: number;
  let messages: MessageBus;
  let books: BookSnapshot[];
  let alerts: Alert[];
  let publisher: BookPublisher;

  beforeEach(async () => {
    vi.useFakeTimers();
    now = 10_000;
    messages = new MessageBus(new InProcessBus(), new LocalCodec(), logger);
    await messages.prepare([TOPICS.bookSnapshots, TOPICS.alerts]);
    books = [];
    alerts = [];
    await messages.subscribe({ groupId: 'b', topics: [TOPICS.bookSnapshots], fromBeginning: true, handle: async (batch) => void books.push(...batch.map((m) => m.value)) });
    await messages.subscribe({ groupId: 'a', topics: [TOPICS.alerts], fromBeginning: true, handle: async (batch) => void alerts.push(...batch.map((m) => m.value)) });
    publisher = new BookPublisher({ messages, instruments: new Map([['BTCUSDT', 'BTC/USDT']]), bookIntervalMs: 100, logger, clock: () => now });
  });

  afterEach(async () => {
    await publisher.stop();
    vi.useRealTimers();
    await messages.bus.close();
  });

  const settle = async (ms: number) => {
    now += ms;
    await vi.advanceTimersByTimeAsync(ms);
    await publisher.flushed();
    await vi.advanceTimersByTimeAsync(0);
  };

  it('publishes the first state at once, then at most the latest state per interval', async () => {
    publisher.handle(book(1, '100.1'));
    publisher.handle(book(2, '100.2'));
    publisher.handle(book(3, '100.3'));
    await settle(0);
    expect(books.map((b) => b.sequence)).toEqual([1]);
    expect(books[0]).toEqual({
      eventId: 'binance:BTCUSDT:book:1:2001', venue: 'binance', instrument: 'BTC/USDT', venueSymbol: 'BTCUSDT', sequence: 1, venueTimeMs: 1001, receivedAtMs: 2001,
      bids: [{ price: '100.1', quantity: '1' }], asks: [{ price: '101', quantity: '2' }],
    });
    await settle(100);
    expect(books.map((b) => b.sequence)).toEqual([1, 3]);
  });

  it('drops a held-back state on a resync and raises one BOOK_RESYNC alert', async () => {
    publisher.handle(book(1, '100.1'));
    publisher.handle(book(2, '100.2'));
    publisher.handle({ type: 'resync', venue: 'binance', symbol: 'BTCUSDT', reason: 'sequence gap: previous u 2, got U 4', receivedAtMs: 2_010 });
    await settle(200);
    expect(books.map((b) => b.sequence)).toEqual([1]);
    expect(alerts).toEqual([
      {
        eventId: 'alert:binance:BTCUSDT:resync:2010', severity: 'WARNING', code: 'BOOK_RESYNC', component: 'connector', venue: 'binance', account: null, subject: 'BTC/USDT',
        message: 'binance BTCUSDT (BTC/USDT) book resync: sequence gap: previous u 2, got U 4', raisedAtMs: 2010,
      },
    ]);
  });

  it('re-publishes a quiet book each heartbeat, received now, until a resync', async () => {
    publisher.handle(book(1, '100.1'));
    await settle(1_000);
    expect(books.map((b) => [b.sequence, b.receivedAtMs])).toEqual([[1, 2001], [1, 11_000]]);
    publisher.handle({ type: 'resync', venue: 'binance', symbol: 'BTCUSDT', reason: 'connection lost', receivedAtMs: 11_001 });
    await settle(3_000);
    expect(books).toHaveLength(2);
  });
});

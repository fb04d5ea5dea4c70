import { createLogger } from '@crossvenue/runtime';
import { type BookSnapshot } from '@crossvenue/schemas';
import type { OrderBook } from 'ccxt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BookFreshness } from './BookFreshness.ts';
import { ThrottledBook } from '../../book/ThrottledBook.ts';
import { bookSnapshotOf } from './toMarketMessages.ts';

const market = { symbol: 'ETH/USDT', id: 'ETHUSDT' };
const bookAt = (bestBid: number) => ({ bids: [[bestBid, 1]], asks: [[bestBid + 1, 1]], nonce: bestBid, timestamp: undefined }) as unknown as OrderBook;

describe('ThrottledBook', () => {
  let sent: BookSnapshot[];
  let throttled: ThrottledBook<OrderBook>;
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000 });
    sent = [];
    throttled = new ThrottledBook({
      intervalMs: 100,
      heartbeatMs: 1_000,
      now: Date.now,
      snapshot: (book, receivedAtMs) => bookSnapshotOf(book, 20, { venue: 'sim', market, receivedAtMs }),
      send: async (snapshot) => void sent.push(snapshot),
      logger: createLogger('throttled-book-test', { level: 'silent' }),
    });
  });
  afterEach(() => vi.useRealTimers());

  it('sends the first update at once and at most one per interval after, always ending on the newest book', async () => {
    throttled.offer(bookAt(100), Date.now());
    for (let i = 1; i <= 9; i += 1) {
      await vi.advanceTimersByTimeAsync(10);
      throttled.offer(bookAt(100 + i), Date.now());
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.sequence)).toEqual([100]);
    await vi.advanceTimersByTimeAsync(10); // the interval ends: only the newest of the nine goes out
    expect(sent.map((s) => s.sequence)).toEqual([100, 109]);
    expect(sent[1]!.receivedAtMs).toBe(1_090);
    await vi.advanceTimersByTimeAsync(500);
    expect(sent).toHaveLength(2);
  });

  it('a quiet book sends its next update at once', async () => {
    throttled.offer(bookAt(100), Date.now());
    await vi.advanceTimersByTimeAsync(250);
    throttled.offer(bookAt(101), Date.now());
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.sequence)).toEqual([100, 101]);
  });

  it('skips a malformed book and keeps going', async () => {
    throttled.offer({ ...bookAt(100), bids: [[Number.NaN, 1]] } as unknown as OrderBook, Date.now());
    await vi.advanceTimersByTimeAsync(100);
    throttled.offer(bookAt(102), Date.now());
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.sequence)).toEqual([102]);
  });

  it('re-publishes a quiet book every heartbeat while the stream is live, received now, and stops when the stream fails', async () => {
    throttled.offer(bookAt(100), Date.now());
    await vi.advanceTimersByTimeAsync(2_500);
    expect(sent.map((s) => [s.sequence, s.receivedAtMs])).toEqual([[100, 1_000], [100, 2_000], [100, 3_000]]);
    expect(new Set(sent.map((s) => s.eventId)).size).toBe(3);
    expect(sent[2]!.asks).toEqual(sent[0]!.asks);

    throttled.interrupted(); // the watch failed: the book ages honestly from here
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sent).toHaveLength(3);

    throttled.offer(bookAt(101), Date.now()); // the next update resumes it
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent.slice(3).map((s) => [s.sequence, s.receivedAtMs])).toEqual([[101, 8_500], [101, 9_500]]);
  });

  it('sends no heartbeat while updates keep the book published', async () => {
    for (let i = 0; i < 10; i += 1) {
      throttled.offer(bookAt(100 + i), Date.now());
      await vi.advanceTimersByTimeAsync(600);
    }
    expect(sent.map((s) => s.sequence)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
  });

  it('a malformed book stops the heartbeat of the book before it', async () => {
    throttled.offer(bookAt(100), Date.now());
    await vi.advanceTimersByTimeAsync(500);
    throttled.offer({ ...bookAt(101), bids: [[Number.NaN, 1]] } as unknown as OrderBook, Date.now());
    await vi.advanceTimersByTimeAsync(3_000);
    expect(sent.map((s) => s.sequence)).toEqual([100]);
  });

  it('stop ends the heartbeat', async () => {
    throttled.offer(bookAt(100), Date.now());
    await throttled.stop();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(sent).toHaveLength(1);
  });
});

describe('BookFreshness', () => {
  it('is the age of the stalest book, counted from the start until its first message; null without books', () => {
    let now = 5_000;
    const freshness = new BookFreshness(['BTC/USDT', 'ETH/USDT'], () => now);
    now = 5_300;
    freshness.received('BTC/USDT');
    expect(freshness.stalenessMs()).toBe(300);
    now = 5_400;
    freshness.received('ETH/USDT');
    expect(freshness.stalenessMs()).toBe(100);
    expect(new BookFreshness([], () => now).stalenessMs()).toBeNull();
  });
});

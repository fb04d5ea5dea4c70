import type { BookEvent } from '../book/BookEvent.ts';
import { LocalBook, type WireLevel } from '../book/LocalBook.ts';

/** The `data` of an `orderbook.{depth}.{symbol}` push: `u` numbers this subscription's pushes. */
export interface BybitOrderbookData {
  s: string;
  b: WireLevel[];
  a: WireLevel[];
  u: number;
  seq?: number;
}

/**
 * Bybit v5 `orderbook.{depth}.{symbol}`: a snapshot, then deltas whose `u` rises by exactly one.
 * A snapshot — or a delta with `u` = 1, which Bybit sends after a restart of its side — replaces
 * the book; any other jump in `u` is a `resync` and the book waits for a fresh snapshot
 * (resubscribe). https://bybit-exchange.github.io/docs/v5/websocket/public/orderbook
 */
export class BybitBookSync {
  private readonly book = new LocalBook();
  /** The `u` of the last applied push; undefined while waiting for a snapshot. */
  private lastU: number | undefined;

  constructor(
    private readonly venue: string,
    private readonly symbol: string,
    private readonly depth: number,
  ) {}

  get waitingForSnapshot(): boolean {
    return this.lastU === undefined;
  }

  onMessage(type: 'snapshot' | 'delta', data: BybitOrderbookData, venueTimeMs: number | null, receivedAtMs: number): BookEvent[] {
    const replaces = type === 'snapshot' || data.u === 1;
    if (replaces) this.book.clear();
    else if (this.lastU === undefined) return [];
    else if (data.u !== this.lastU + 1) return [this.reset(`sequence gap: previous u ${this.lastU}, got u ${data.u}`, receivedAtMs)];
    this.book.apply('bids', data.b);
    this.book.apply('asks', data.a);
    this.lastU = data.u;
    if (this.book.crossed()) return [this.reset(`crossed book after update ${data.u}`, receivedAtMs)];
    return [{ type: 'book', venue: this.venue, symbol: this.symbol, sequence: data.u, source: replaces ? 'snapshot' : 'delta', venueTimeMs, receivedAtMs, ...this.book.top(this.depth) }];
  }

  /** Forgets the book (a gap, or the connection it came on is gone) until the next snapshot. */
  reset(reason: string, receivedAtMs: number): BookEvent {
    this.book.clear();
    this.lastU = undefined;
    return { type: 'resync', venue: this.venue, symbol: this.symbol, reason, receivedAtMs };
  }
}

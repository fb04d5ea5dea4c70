import type { BookEvent } from '../../book/BookEvent.ts';
import type { WireLevel } from '../../book/LocalBook.ts';
import { BookSync } from '../../book/BookSync.ts';

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
export class BybitBookSync extends BookSync {
  /** The `u` of the last applied push; undefined while waiting for a snapshot. */
  private lastU: number | undefined;

  onMessage(type: 'snapshot' | 'delta', data: BybitOrderbookData, venueTimeMs: number | null, receivedAtMs: number): BookEvent[] {
    const replaces = type === 'snapshot' || data.u === 1;
    if (!this.admit(replaces)) return [];
    if (!replaces && this.lastU !== undefined && data.u !== this.lastU + 1) return [this.reset(`sequence gap: previous u ${this.lastU}, got u ${data.u}`, receivedAtMs)];
    const { book } = this;
    book.apply('bids', data.b);
    book.apply('asks', data.a);
    this.lastU = data.u;
    if (book.crossed()) return [this.reset(`crossed book after update ${data.u}`, receivedAtMs)];
    return [this.publish({ sequence: data.u, source: replaces ? 'snapshot' : 'delta', venueTimeMs, receivedAtMs })];
  }

  /** Forgets the book (a gap, or the connection it came on is gone) until the next snapshot. */
  override reset(reason: string, receivedAtMs: number): BookEvent {
    this.lastU = undefined;
    return super.reset(reason, receivedAtMs);
  }
}

import type { BookEvent } from '../book/BookEvent.ts';
import { LocalBook, type Side, type WireLevel } from '../book/LocalBook.ts';
import { krakenChecksum } from './krakenChecksum.ts';

/** The levels of one ws v1 book message, asks and bids from all its parts. */
export interface KrakenBookData {
  asks: WireLevel[];
  bids: WireLevel[];
  /** CRC32 of the top 10 levels after the update (updates only). */
  checksum?: string;
  /** The newest level timestamp of the message. */
  venueTimeMs: number | null;
  /** N of the channel `book-N`: the depth Kraken keeps the subscriber's book at. */
  subscribedDepth: number;
}

/**
 * Kraken spot ws v1 `book`: a snapshot, then updates with no sequence number, each with a CRC32
 * checksum of the book after it. Kraken does not send deletions for levels pushed out of the
 * subscribed depth (`book-N`): the subscriber truncates its book to N after every update, and Kraken
 * republishes (flag "r") a level that comes back into range. A checksum mismatch is a `resync`:
 * resubscribe for a snapshot.
 * https://docs.kraken.com/api/docs/guides/spot-ws-book-v1
 */
export class KrakenBookSync {
  private readonly book = new LocalBook();
  private synced = false;

  constructor(
    private readonly venue: string,
    private readonly symbol: string,
    /** Levels per side in each published book. */
    private readonly depth: number,
  ) {}

  get waitingForSnapshot(): boolean {
    return !this.synced;
  }

  onMessage(action: 'snapshot' | 'update', data: KrakenBookData, receivedAtMs: number): BookEvent[] {
    if (action === 'snapshot') {
      this.book.clear();
      this.synced = true;
    } else if (!this.synced) {
      return [];
    }
    this.book.apply('asks', data.asks);
    this.book.apply('bids', data.bids);
    this.truncate('asks', data.subscribedDepth);
    this.truncate('bids', data.subscribedDepth);
    if (data.checksum !== undefined) {
      const computed = krakenChecksum(this.book.asks, this.book.bids);
      if (computed !== data.checksum) return [this.reset(`checksum mismatch: venue ${data.checksum}, book ${computed}`, receivedAtMs)];
    }
    const source = action === 'snapshot' ? 'snapshot' : 'delta';
    return [{ type: 'book', venue: this.venue, symbol: this.symbol, sequence: null, source, venueTimeMs: data.venueTimeMs, receivedAtMs, ...this.book.top(this.depth) }];
  }

  /** Forgets the book (a bad checksum, or the connection is gone) until the next snapshot. */
  reset(reason: string, receivedAtMs: number): BookEvent {
    this.book.clear();
    this.synced = false;
    return { type: 'resync', venue: this.venue, symbol: this.symbol, reason, receivedAtMs };
  }

  private truncate(side: Side, subscribedDepth: number): void {
    const levels = this.book[side];
    while (levels.length > subscribedDepth) this.book.set(side, levels.at(-1)!.price, '0');
  }
}

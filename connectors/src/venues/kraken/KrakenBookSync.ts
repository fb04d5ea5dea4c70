import type { BookEvent } from '../../book/BookEvent.ts';
import type { LocalBook, Side, WireLevel } from '../../book/LocalBook.ts';
import { BookSync } from '../../book/BookSync.ts';
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
export class KrakenBookSync extends BookSync {
  onMessage(action: 'snapshot' | 'update', data: KrakenBookData, receivedAtMs: number): BookEvent[] {
    if (!this.admit(action === 'snapshot')) return [];
    const { book } = this;
    book.apply('asks', data.asks);
    book.apply('bids', data.bids);
    truncate(book, 'asks', data.subscribedDepth);
    truncate(book, 'bids', data.subscribedDepth);
    const checksums = data.checksum === undefined ? undefined : { venue: data.checksum, book: krakenChecksum(book.asks, book.bids) };
    const source = action === 'snapshot' ? 'snapshot' : 'delta';
    return [this.publish({ sequence: null, source, venueTimeMs: data.venueTimeMs, receivedAtMs }, checksums)];
  }
}

/** Kraken sends no deletion for a level pushed out of the subscribed depth: drop the worst ones. */
function truncate(book: LocalBook, side: Side, subscribedDepth: number): void {
  const levels = book[side];
  while (levels.length > subscribedDepth) book.set(side, levels.at(-1)!.price, '0');
}

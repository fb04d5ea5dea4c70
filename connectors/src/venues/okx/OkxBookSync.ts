import type { BookEvent } from '../../book/BookEvent.ts';
import type { WireLevel } from '../../book/LocalBook.ts';
import { BookSync } from '../../book/BookSync.ts';
import { okxChecksum } from './okxChecksum.ts';

/** One entry of a `books` push: `[price, size, deprecated, orderCount]` levels. */
export interface OkxBookData {
  asks: WireLevel[];
  bids: WireLevel[];
  ts: string;
  checksum?: number;
  seqId?: number;
  prevSeqId?: number;
}

/**
 * OKX v5 `books` channel: a snapshot, then updates that must continue the sequence
 * (`prevSeqId` = the previous `seqId`, when the venue sends them) and whose CRC32 checksum must
 * match the book after applying them. Either failure is a `resync`: resubscribe for a snapshot.
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel
 */
export class OkxBookSync extends BookSync {
  private lastSeqId: number | undefined;

  onMessage(action: 'snapshot' | 'update', data: OkxBookData, receivedAtMs: number): BookEvent[] {
    if (!this.admit(action === 'snapshot')) return [];
    if (action === 'update' && data.prevSeqId !== undefined && this.lastSeqId !== undefined && data.prevSeqId !== this.lastSeqId) {
      return [this.reset(`sequence gap: previous seqId ${this.lastSeqId}, got prevSeqId ${data.prevSeqId}`, receivedAtMs)];
    }
    const { book } = this;
    book.apply('bids', data.bids);
    book.apply('asks', data.asks);
    this.lastSeqId = data.seqId;
    const checksums = data.checksum === undefined ? undefined : { venue: data.checksum, book: okxChecksum(book.bids, book.asks) };
    const source = action === 'snapshot' ? 'snapshot' : 'delta';
    return [this.publish({ sequence: data.seqId ?? null, source, venueTimeMs: Number(data.ts), receivedAtMs }, checksums)];
  }

  /** Forgets the book (a gap, a bad checksum, or the connection is gone) until the next snapshot. */
  override reset(reason: string, receivedAtMs: number): BookEvent {
    this.lastSeqId = undefined;
    return super.reset(reason, receivedAtMs);
  }
}

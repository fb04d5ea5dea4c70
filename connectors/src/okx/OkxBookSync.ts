import type { BookEvent } from '../book/BookEvent.ts';
import { LocalBook, type WireLevel } from '../book/LocalBook.ts';
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
export class OkxBookSync {
  private readonly book = new LocalBook();
  private synced = false;
  private lastSeqId: number | undefined;

  constructor(
    private readonly venue: string,
    private readonly symbol: string,
    private readonly depth: number,
  ) {}

  get waitingForSnapshot(): boolean {
    return !this.synced;
  }

  onMessage(action: 'snapshot' | 'update', data: OkxBookData, receivedAtMs: number): BookEvent[] {
    if (action === 'snapshot') {
      this.book.clear();
      this.synced = true;
    } else if (!this.synced) {
      return [];
    } else if (data.prevSeqId !== undefined && this.lastSeqId !== undefined && data.prevSeqId !== this.lastSeqId) {
      return [this.reset(`sequence gap: previous seqId ${this.lastSeqId}, got prevSeqId ${data.prevSeqId}`, receivedAtMs)];
    }
    this.book.apply('bids', data.bids);
    this.book.apply('asks', data.asks);
    this.lastSeqId = data.seqId;
    if (data.checksum !== undefined) {
      const computed = okxChecksum(this.book.bids, this.book.asks);
      if (computed !== data.checksum) return [this.reset(`checksum mismatch: venue ${data.checksum}, book ${computed}`, receivedAtMs)];
    }
    const sequence = data.seqId ?? null;
    const venueTimeMs = Number(data.ts);
    return [{ type: 'book', venue: this.venue, symbol: this.symbol, sequence, source: action === 'snapshot' ? 'snapshot' : 'delta', venueTimeMs, receivedAtMs, ...this.book.top(this.depth) }];
  }

  /** Forgets the book (a gap, a bad checksum, or the connection is gone) until the next snapshot. */
  reset(reason: string, receivedAtMs: number): BookEvent {
    this.book.clear();
    this.synced = false;
    this.lastSeqId = undefined;
    return { type: 'resync', venue: this.venue, symbol: this.symbol, reason, receivedAtMs };
  }
}

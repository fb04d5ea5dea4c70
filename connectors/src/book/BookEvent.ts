import type { TopLevel } from './LocalBook.ts';

/** What a book synchronizer tells its user: an applied update, or that the book must be rebuilt. */
export type BookEvent =
  | {
      type: 'book';
      venue: string;
      symbol: string;
      /** The venue's sequence after this update (Binance `u`, OKX `seqId`); null where it has none. */
      sequence: number | null;
      /** Snapshot or delta: what produced this state. */
      source: 'snapshot' | 'delta';
      venueTimeMs: number | null;
      receivedAtMs: number;
      /** Shared with other events while unchanged (LocalBook.top): never changed in place. */
      bids: TopLevel[];
      asks: TopLevel[];
    }
  | {
      type: 'resync';
      venue: string;
      symbol: string;
      /** Why the book can no longer be trusted: a sequence gap, a checksum mismatch, a crossed book. */
      reason: string;
      receivedAtMs: number;
    };

import type { BookEvent } from './BookEvent.ts';
import { LocalBook } from './LocalBook.ts';

/** What produced a published state, and the venue's numbers for it. */
export interface AppliedMessage {
  sequence: number | null;
  source: 'snapshot' | 'delta';
  venueTimeMs: number | null;
  receivedAtMs: number;
}

/** A venue's checksum of the book after a message (OKX, Kraken), and ours of the same book. */
export interface Checksums {
  venue: string | number;
  book: string | number;
}

/**
 * What every snapshot-then-updates book synchronizer shares: the book, whether a snapshot has
 * started it, and the two events it tells its user. A venue's synchronizer extends it with only
 * the venue's rules: its sequence numbers, which message replaces the book, its checksum,
 * truncation.
 */
export class BookSync {
  protected readonly book = new LocalBook();
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

  /** Forgets the book (a gap, a bad checksum, a crossed book, or the connection is gone) until the next snapshot. */
  reset(reason: string, receivedAtMs: number): BookEvent {
    this.book.clear();
    this.synced = false;
    return { type: 'resync', venue: this.venue, symbol: this.symbol, reason, receivedAtMs };
  }

  /** Whether a message may be applied: one that replaces the book starts it over; an update before the first snapshot is dropped. */
  protected admit(replaces: boolean): boolean {
    if (replaces) {
      this.book.clear();
      this.synced = true;
    }
    return this.synced;
  }

  /** The book after an applied message, or a `resync` when the venue's checksum of it differs from ours. */
  protected publish(message: AppliedMessage, checksums?: Checksums): BookEvent {
    if (checksums && checksums.venue !== checksums.book) {
      return this.reset(`checksum mismatch: venue ${checksums.venue}, book ${checksums.book}`, message.receivedAtMs);
    }
    const { sequence, source, venueTimeMs, receivedAtMs } = message;
    return { type: 'book', venue: this.venue, symbol: this.symbol, sequence, source, venueTimeMs, receivedAtMs, ...this.book.top(this.depth) };
  }
}

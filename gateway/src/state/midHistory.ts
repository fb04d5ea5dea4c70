import { Decimal } from '@crossvenue/schemas';
import type { TopOfBook } from '../LiveState.ts';

/** Kept per venue book: the longest markout horizon (5 min) and a little more. */
const KEPT_MS = 6 * 60_000;
/** At most this many mid changes per venue book (a busy book changes its mid many times a second). */
const KEPT_CHANGES = 20_000;

interface Track {
  /** Mid changes, oldest first. */
  changes: Array<{ atMs: number; mid: Decimal }>;
  /** The latest book received, whether its mid changed or not (a heartbeat says the feed is alive). */
  lastBookMs: number;
}

/**
 * Each venue book's mid over the last minutes, as the gateway received the books: the mid changes
 * and when the latest book came. What a markout needs: the venue's mid some seconds after a fill,
 * known once a book at or after that moment has come, in whatever order fills and books were read.
 */
export class MidHistory {
  private readonly tracks = new Map<string, Track>();

  record(book: TopOfBook): void {
    if (book.bestBid === null || book.bestAsk === null) return;
    const mid = new Decimal(book.bestBid).plus(book.bestAsk).div(2);
    const key = `${book.venue}|${book.instrument}`;
    const track = this.tracks.get(key) ?? { changes: [], lastBookMs: Number.NEGATIVE_INFINITY };
    this.tracks.set(key, track);
    track.lastBookMs = Math.max(track.lastBookMs, book.receivedAtMs);
    const last = track.changes.at(-1);
    if (last && book.receivedAtMs < last.atMs) return; // a book older than one already seen says nothing new
    if (!last || !last.mid.eq(mid)) track.changes.push({ atMs: book.receivedAtMs, mid });
    const horizon = track.lastBookMs - KEPT_MS;
    while (track.changes.length > KEPT_CHANGES || (track.changes.length > 1 && track.changes[1]!.atMs <= horizon)) track.changes.shift();
  }

  /**
   * The mid of `venue`'s `instrument` book at `atMs` (the last change at or before it), or null
   * while no book at or after `atMs` has come, or when `atMs` is older than what is kept.
   */
  midAt(venue: string, instrument: string, atMs: number): Decimal | null {
    const track = this.tracks.get(`${venue}|${instrument}`);
    if (!track || track.lastBookMs < atMs || track.changes.length === 0 || track.changes[0]!.atMs > atMs) return null;
    let low = 0;
    let high = track.changes.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (track.changes[middle]!.atMs <= atMs) low = middle;
      else high = middle - 1;
    }
    return track.changes[low]!.mid;
  }
}

import type { BookEvent } from '../../book/BookEvent.ts';
import { LocalBook, type WireLevel } from '../../book/LocalBook.ts';

/** A diff-depth event (`<symbol>@depth`): spot has U/u, USD-M and COIN-M futures add pu. */
export interface BinanceDepthDiff {
  s: string;
  E?: number;
  U: number;
  u: number;
  pu?: number;
  b: WireLevel[];
  a: WireLevel[];
}

export interface BinanceDepthSnapshotPayload {
  lastUpdateId: number;
  E?: number;
  bids: WireLevel[];
  asks: WireLevel[];
}

/** Diffs kept while waiting for a snapshot; past this the stream is too far ahead to catch up. */
const MAX_BUFFERED = 10_000;

/**
 * Binance's documented way to keep a local book from a REST snapshot plus diff events:
 * https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams#how-to-manage-a-local-order-book-correctly
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/How-to-manage-a-local-order-book-correctly
 *
 * Diffs are buffered until a snapshot arrives; those the snapshot already contains are dropped;
 * the first applied diff must straddle the snapshot; every later one must continue the chain
 * (spot: U = previous u + 1; futures: pu = previous u). A break is a `resync` event and the book
 * waits for a fresh snapshot: it never publishes a state it cannot vouch for.
 */
export class BinanceBookSync {
  private readonly book = new LocalBook();
  private buffered: BinanceDepthDiff[] = [];
  /** The snapshot the book was built from; undefined while waiting for one. */
  private lastUpdateId: number | undefined;
  /** The `u` of the last applied diff; undefined until the first diff after the snapshot. */
  private previousU: number | undefined;

  constructor(
    private readonly venue: string,
    private readonly symbol: string,
    private readonly options: { futures: boolean; depth: number },
  ) {}

  get waitingForSnapshot(): boolean {
    return this.lastUpdateId === undefined;
  }

  onSnapshot(snapshot: BinanceDepthSnapshotPayload, receivedAtMs: number): BookEvent[] {
    this.book.clear();
    this.book.apply('bids', snapshot.bids);
    this.book.apply('asks', snapshot.asks);
    this.lastUpdateId = snapshot.lastUpdateId;
    this.previousU = undefined;
    const events: BookEvent[] = [this.state('snapshot', snapshot.lastUpdateId, snapshot.E ?? null, receivedAtMs)];
    const pending = this.buffered;
    this.buffered = [];
    // After a resync among them, onDiff buffers the rest again for the next snapshot.
    for (const diff of pending) events.push(...this.onDiff(diff, receivedAtMs));
    return events;
  }

  onDiff(diff: BinanceDepthDiff, receivedAtMs: number): BookEvent[] {
    if (this.lastUpdateId === undefined) {
      if (this.buffered.length >= MAX_BUFFERED) this.buffered.shift();
      this.buffered.push(diff);
      return [];
    }
    if (this.alreadyInSnapshot(diff)) return [];
    return [this.previousU === undefined ? this.applyFirst(diff, receivedAtMs) : this.applyNext(diff, receivedAtMs)];
  }

  private alreadyInSnapshot(diff: BinanceDepthDiff): boolean {
    const snapshotId = this.lastUpdateId!;
    return this.options.futures ? diff.u < snapshotId : diff.u <= snapshotId;
  }

  private applyFirst(diff: BinanceDepthDiff, receivedAtMs: number): BookEvent {
    const snapshotId = this.lastUpdateId!;
    const straddles = this.options.futures
      ? diff.U <= snapshotId && diff.u >= snapshotId
      : diff.U <= snapshotId + 1 && diff.u >= snapshotId + 1;
    if (!straddles) return this.reset(`first diff ${diff.U}..${diff.u} does not follow snapshot ${snapshotId}`, receivedAtMs);
    return this.apply(diff, receivedAtMs);
  }

  private applyNext(diff: BinanceDepthDiff, receivedAtMs: number): BookEvent {
    const previous = this.previousU!;
    const continues = this.options.futures ? diff.pu === previous : diff.U === previous + 1;
    if (!continues) {
      const got = this.options.futures ? `pu ${diff.pu}` : `U ${diff.U}`;
      return this.reset(`sequence gap: previous u ${previous}, got ${got}`, receivedAtMs);
    }
    return this.apply(diff, receivedAtMs);
  }

  private apply(diff: BinanceDepthDiff, receivedAtMs: number): BookEvent {
    this.book.apply('bids', diff.b);
    this.book.apply('asks', diff.a);
    this.previousU = diff.u;
    if (this.book.crossed()) return this.reset(`crossed book after update ${diff.u}`, receivedAtMs);
    return this.state('delta', diff.u, diff.E ?? null, receivedAtMs);
  }

  /** Forgets the book (a gap, or the connection it came on is gone) until the next snapshot. */
  reset(reason: string, receivedAtMs: number): BookEvent {
    this.book.clear();
    this.lastUpdateId = undefined;
    this.previousU = undefined;
    return { type: 'resync', venue: this.venue, symbol: this.symbol, reason, receivedAtMs };
  }

  private state(source: 'snapshot' | 'delta', sequence: number, venueTimeMs: number | null, receivedAtMs: number): BookEvent {
    return { type: 'book', venue: this.venue, symbol: this.symbol, sequence, source, venueTimeMs, receivedAtMs, ...this.book.top(this.options.depth) };
  }
}

import { randomUUID } from 'node:crypto';
import type { BookSnapshot } from '@crossvenue/schemas';
import type { Logger } from '@crossvenue/runtime';
import { errorMessage } from '../ccxt/failureKind.ts';

export interface ThrottledBookOptions<B> {
  intervalMs: number;
  /** A live stream's unchanged book is published again after this long without a publication. */
  heartbeatMs: number;
  now: () => number;
  /** Converts the feed's book into a message when it goes out (a ccxt book is the live, mutating one). */
  snapshot: (book: B, receivedAtMs: number) => BookSnapshot;
  send: (snapshot: BookSnapshot) => Promise<void>;
  logger: Logger;
}

/**
 * One symbol's book snapshots, at most one per `intervalMs` so a busy book does not flood Kafka:
 * the first update after a quiet interval goes out at once, later ones wait for the interval's end
 * and only the newest goes out then, so the book's last state is always published. Sends are
 * chained, so snapshots of one symbol reach the topic in order; a failed send is logged and the
 * next one still goes. Both book feeds use it: the ccxt market data and the native adapters.
 *
 * A quiet book is not a stale one: while the watch loop is live (no failure since its last
 * update), the last snapshot goes out again every `heartbeatMs` without a publication, received
 * now. The connected stream vouches for it: a change would have arrived. The router drops a book
 * older than 5 s (processors/src/router/costModel.ts), so without this a still market would take
 * its venue out of routing. `interrupted()` (the stream failed, or the book is being resynced)
 * drops an update held back by the throttle and stops the heartbeat, so the book then ages
 * honestly; the next update resumes it.
 */
export class ThrottledBook<B> {
  private latest: { book: B; receivedAtMs: number } | undefined;
  /** The last snapshot sent while the stream is live; undefined after an interruption or a malformed book. */
  private lastSent: BookSnapshot | undefined;
  private lastSentAtMs = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly options: ThrottledBookOptions<B>) {}

  offer(book: B, receivedAtMs: number): void {
    this.latest = { book, receivedAtMs };
    if (this.timer) return;
    const waitMs = this.lastSentAtMs + this.options.intervalMs - this.options.now();
    if (waitMs <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), waitMs);
  }

  /** The stream failed or the book is resynced: it can no longer be vouched for, so nothing more goes out until the next update. */
  interrupted(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.latest = undefined;
    clearTimeout(this.heartbeat);
    this.heartbeat = undefined;
    this.lastSent = undefined;
  }

  /** Drops the pending update, stops the heartbeat, and waits for sends under way. */
  async stop(): Promise<void> {
    this.interrupted();
    await this.sending;
  }

  private flush(): void {
    this.timer = undefined;
    const latest = this.latest;
    if (!latest) return;
    this.latest = undefined;
    let snapshot: BookSnapshot;
    try {
      snapshot = this.options.snapshot(latest.book, latest.receivedAtMs);
    } catch (error) {
      this.interrupted();
      this.options.logger.warn({ err: errorMessage(error) }, 'book snapshot skipped: malformed book');
      return;
    }
    this.publish(snapshot);
  }

  private publish(snapshot: BookSnapshot): void {
    this.lastSent = snapshot;
    this.lastSentAtMs = this.options.now();
    this.sending = this.sending
      .then(() => this.options.send(snapshot))
      .catch((error: unknown) => this.options.logger.error({ err: errorMessage(error) }, `book snapshot ${snapshot.venue} ${snapshot.instrument} not published: ${errorMessage(error)}`));
    clearTimeout(this.heartbeat);
    this.heartbeat = setTimeout(() => this.beat(), this.options.heartbeatMs);
  }

  private beat(): void {
    this.heartbeat = undefined;
    // A pending trailing update goes out soon and re-arms the heartbeat itself.
    if (!this.lastSent || this.timer) return;
    this.publish({ ...this.lastSent, eventId: randomUUID(), receivedAtMs: this.options.now() });
  }
}

import { TOPICS, type Alert, type BookSnapshot, type Logger, type MessageBus } from '@crossvenue/schemas';
import type { BookEvent } from '../book/BookEvent.ts';

type BookState = Extract<BookEvent, { type: 'book' }>;
type Resync = Extract<BookEvent, { type: 'resync' }>;

export interface BookPublisherOptions {
  messages: MessageBus;
  /** Venue symbol (BTCUSDT, BTC-USDT) → unified instrument (BTC/USDT), the topics' key. */
  instruments: ReadonlyMap<string, string>;
  /** At most one BookSnapshot per instrument per interval (the latest state); 0 publishes every update. */
  bookIntervalMs: number;
  logger: Logger;
  clock?: () => number;
}

interface Throttle {
  lastPublishedAt: number;
  latest: BookState | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Turns a feed's book events into bus records: throttled top-N `BookSnapshot`s on
 * `TOPICS.bookSnapshots`, and one `BOOK_RESYNC` `Alert` on `TOPICS.alerts` per resync (the book
 * status: which book, why). A state held back by the throttle is dropped by a resync: it can no
 * longer be vouched for. Records are published in the order the events came.
 */
export class BookPublisher {
  private readonly throttles = new Map<string, Throttle>();
  private queue: Promise<void> = Promise.resolve();
  private readonly clock: () => number;

  constructor(private readonly options: BookPublisherOptions) {
    this.clock = options.clock ?? Date.now;
  }

  handle(event: BookEvent): void {
    const throttle = this.throttleOf(event.symbol);
    if (event.type === 'resync') {
      clearTimeout(throttle.timer);
      throttle.timer = undefined;
      throttle.latest = undefined;
      this.enqueue(() => this.options.messages.publish(TOPICS.alerts, [this.alert(event)]));
      return;
    }
    throttle.latest = event;
    if (throttle.timer) return;
    const waitMs = throttle.lastPublishedAt + this.options.bookIntervalMs - this.clock();
    if (waitMs <= 0) this.publishLatest(throttle);
    else throttle.timer = setTimeout(() => this.publishLatest(throttle), waitMs);
  }

  /** Resolves when everything handled so far is published. */
  flushed(): Promise<void> {
    return this.queue;
  }

  stop(): void {
    for (const throttle of this.throttles.values()) clearTimeout(throttle.timer);
  }

  private publishLatest(throttle: Throttle): void {
    const state = throttle.latest;
    throttle.timer = undefined;
    throttle.latest = undefined;
    if (!state) return;
    throttle.lastPublishedAt = this.clock();
    this.enqueue(() => this.options.messages.publish(TOPICS.bookSnapshots, [this.snapshot(state)]));
  }

  private enqueue(publish: () => Promise<void>): void {
    this.queue = this.queue.then(publish).catch((error: Error) => this.options.logger.error({ err: error }, `book publish failed: ${error.message}`));
  }

  private throttleOf(symbol: string): Throttle {
    let throttle = this.throttles.get(symbol);
    if (!throttle) this.throttles.set(symbol, (throttle = { lastPublishedAt: -Infinity, latest: undefined, timer: undefined }));
    return throttle;
  }

  private instrumentOf(symbol: string): string {
    const instrument = this.options.instruments.get(symbol);
    if (!instrument) throw new Error(`no instrument for venue symbol ${symbol}`);
    return instrument;
  }

  private snapshot(state: BookState): BookSnapshot {
    const level = ([price, quantity]: [string, string]) => ({ price, quantity });
    return {
      eventId: `${state.venue}:${state.symbol}:book:${state.sequence ?? '-'}:${state.receivedAtMs}`,
      venue: state.venue,
      instrument: this.instrumentOf(state.symbol),
      venueSymbol: state.symbol,
      sequence: state.sequence,
      venueTimeMs: state.venueTimeMs,
      receivedAtMs: state.receivedAtMs,
      bids: state.bids.map(level),
      asks: state.asks.map(level),
    };
  }

  private alert(resync: Resync): Alert {
    return {
      eventId: `alert:${resync.venue}:${resync.symbol}:resync:${resync.receivedAtMs}`,
      severity: 'WARNING',
      code: 'BOOK_RESYNC',
      component: 'connector',
      venue: resync.venue,
      account: null,
      message: `${resync.venue} ${resync.symbol} (${this.instrumentOf(resync.symbol)}) book resync: ${resync.reason}`,
      raisedAtMs: resync.receivedAtMs,
    };
  }
}

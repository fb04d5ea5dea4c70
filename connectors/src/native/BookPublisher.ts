import { TOPICS, type Alert, type BookSnapshot } from '@crossvenue/schemas';
import { DEAD_LETTER_HEADERS, type Logger, type MessageBus } from '@crossvenue/runtime';
import type { BookEvent } from '../book/BookEvent.ts';
import { ThrottledBook } from '../book/ThrottledBook.ts';

type BookState = Extract<BookEvent, { type: 'book' }>;
type Resync = Extract<BookEvent, { type: 'resync' }>;

export interface BookPublisherOptions {
  messages: MessageBus;
  /** Venue symbol (BTCUSDT, BTC-USDT) → unified instrument (BTC/USDT), the topics' key. */
  instruments: ReadonlyMap<string, string>;
  /** At most one BookSnapshot per instrument per interval (the latest state); 0 publishes every update. */
  bookIntervalMs: number;
  /** An unchanged book of a live feed is published again after this long (default 1000 ms; see ThrottledBook). */
  bookHeartbeatMs?: number;
  logger: Logger;
  clock?: () => number;
}

/**
 * Turns a feed's book events into bus records: throttled top-N `BookSnapshot`s on
 * `TOPICS.bookSnapshots` (ThrottledBook per symbol, heartbeat included), and one `BOOK_RESYNC`
 * `Alert` on `TOPICS.alerts` per resync (the book status: which book, why). A resync interrupts
 * the symbol's book: a state held back by the throttle can no longer be vouched for. Records are
 * published in the order they go out.
 */
export class BookPublisher {
  private readonly books = new Map<string, ThrottledBook<BookState>>();
  private queue: Promise<void> = Promise.resolve();
  private readonly clock: () => number;

  constructor(private readonly options: BookPublisherOptions) {
    this.clock = options.clock ?? Date.now;
  }

  handle(event: BookEvent): void {
    const book = this.bookOf(event.symbol);
    if (event.type === 'book') return book.offer(event, event.receivedAtMs);
    book.interrupted();
    void this.enqueue(() => this.options.messages.publish(TOPICS.alerts, [this.alert(event)]));
  }

  /**
   * A venue frame that could not be trusted goes to the book topic's dead-letter topic with its
   * original bytes, the reason and the venue it came from, in order with the books.
   */
  badFrame(venue: string, text: string, reason: string): void {
    void this.enqueue(() =>
      this.options.messages.deadLetter(TOPICS.bookSnapshots, { key: null, value: Buffer.from(text, 'utf8') }, reason, {
        [DEAD_LETTER_HEADERS.sourceVenue]: venue,
      }),
    );
  }

  /** Resolves when everything handled so far is published. */
  flushed(): Promise<void> {
    return this.queue;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.books.values()].map((book) => book.stop()));
  }

  private enqueue(publish: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(publish).catch((error: Error) => this.options.logger.error({ err: error }, `book publish failed: ${error.message}`));
    return this.queue;
  }

  private bookOf(symbol: string): ThrottledBook<BookState> {
    let book = this.books.get(symbol);
    if (!book) {
      book = new ThrottledBook<BookState>({
        intervalMs: this.options.bookIntervalMs,
        heartbeatMs: this.options.bookHeartbeatMs ?? 1_000,
        now: this.clock,
        snapshot: (state) => this.snapshot(state),
        send: (snapshot) => this.enqueue(() => this.options.messages.publish(TOPICS.bookSnapshots, [snapshot])),
        logger: this.options.logger,
      });
      this.books.set(symbol, book);
    }
    return book;
  }

  private instrumentOf(symbol: string): string {
    const instrument = this.options.instruments.get(symbol);
    if (!instrument) throw new Error(`no instrument for venue symbol ${symbol}`);
    return instrument;
  }

  private snapshot(state: BookState): BookSnapshot {
    const level = ([price, quantity]: readonly [string, string]) => ({ price, quantity });
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
      subject: this.instrumentOf(resync.symbol),
      message: `${resync.venue} ${resync.symbol} (${this.instrumentOf(resync.symbol)}) book resync: ${resync.reason}`,
      raisedAtMs: resync.receivedAtMs,
    };
  }
}

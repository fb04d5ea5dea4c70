import type { Logger } from '@crossvenue/runtime';
import type { BookEvent } from '../../book/BookEvent.ts';
import { KrakenBookSync } from './KrakenBookSync.ts';
import { parseKrakenBookMessage } from './krakenBookMessage.ts';
import { resetSynced, type BookProtocol, type FeedContext } from '../../native/BookProtocol.ts';

export interface KrakenProtocolOptions {
  venue: string;
  /** e.g. wss://ws.kraken.com, or a local server's ws://127.0.0.1:port */
  wsUrl: string;
  /** ws v1 pair names: XBT/USD, ETH/EUR. */
  symbols: readonly string[];
  depth: number;
  logger: Logger;
}

/** The depths Kraken ws v1 `book` serves; we subscribe the smallest that covers what we publish. */
const BOOK_DEPTHS = [10, 25, 100, 500, 1000];

interface KrakenEvent {
  event?: string;
  status?: string;
  pair?: string;
  errorMessage?: string;
}

/**
 * Kraken spot ws v1 public `book` channel (snapshot, then updates checked by a CRC32 of the top 10):
 * a resync unsubscribes and subscribes the pair again, which makes Kraken send a new snapshot.
 * Kraken sends a heartbeat every second when a channel is quiet; our ping every 20 s keeps
 * intermediaries from timing the connection out.
 * https://docs.kraken.com/api/docs/guides/spot-ws-book-v1
 * https://docs.kraken.com/api/docs/websocket-v1/book
 */
export class KrakenProtocol implements BookProtocol {
  readonly url: string;
  readonly heartbeat = { intervalMs: 20_000, frame: JSON.stringify({ event: 'ping' }) };
  private readonly books = new Map<string, KrakenBookSync>();
  private readonly subscription: { name: 'book'; depth: number };

  constructor(private readonly options: KrakenProtocolOptions) {
    const depth = BOOK_DEPTHS.find((d) => d >= options.depth);
    if (depth === undefined) throw new Error(`kraken books go to ${BOOK_DEPTHS.at(-1)} levels, asked for ${options.depth}`);
    this.subscription = { name: 'book', depth };
    for (const symbol of options.symbols) this.books.set(symbol, new KrakenBookSync(options.venue, symbol, options.depth));
    this.url = options.wsUrl;
  }

  opened(context: FeedContext): void {
    context.send({ event: 'subscribe', pair: [...this.books.keys()], subscription: this.subscription });
  }

  frame(payload: unknown, receivedAtMs: number): BookEvent[] {
    const event = payload as KrakenEvent | null;
    if (event?.event === 'subscriptionStatus' && event.status === 'error') {
      this.options.logger.error({ venue: this.options.venue, pair: event.pair }, `kraken refused a subscription: ${event.errorMessage ?? ''}`);
    }
    const message = parseKrakenBookMessage(payload);
    const book = message && this.books.get(message.pair);
    return book ? book.onMessage(message.action, message.data, receivedAtMs) : [];
  }

  resync(symbol: string, context: FeedContext): void {
    context.send({ event: 'unsubscribe', pair: [symbol], subscription: this.subscription });
    context.send({ event: 'subscribe', pair: [symbol], subscription: this.subscription });
  }

  dropped(reason: string, at: number): BookEvent[] {
    return resetSynced(this.books.values(), reason, at);
  }
}

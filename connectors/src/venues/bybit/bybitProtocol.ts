import type { Logger } from '@crossvenue/runtime';
import type { BookEvent } from '../../book/BookEvent.ts';
import { BybitBookSync, type BybitOrderbookData } from './BybitBookSync.ts';
import { VenuePayloadError } from '../../VenuePayloadError.ts';
import { resetSynced, type BookProtocol, type FeedContext } from '../../native/BookProtocol.ts';

export interface BybitProtocolOptions {
  venue: string;
  /** e.g. wss://stream.bybit.com, or a simulator's ws://127.0.0.1:port */
  wsUrl: string;
  /** Venue symbols: BTCUSDT. */
  symbols: readonly string[];
  depth: number;
  logger: Logger;
}

/** The depths Bybit v5 spot serves; we subscribe the smallest that covers what we publish. */
const SPOT_DEPTHS = [1, 50, 200, 1000];
/** Bybit takes at most 10 topics per spot subscribe request. */
const TOPICS_PER_REQUEST = 10;

interface BybitPush {
  topic?: string;
  type?: 'snapshot' | 'delta';
  ts?: number;
  data?: BybitOrderbookData;
  op?: string;
  success?: boolean;
  ret_msg?: string;
}

/**
 * Bybit v5 public spot `orderbook.{depth}.{symbol}`: a resync unsubscribes and subscribes again,
 * which makes Bybit send a new snapshot. Bybit drops a connection without a ping for 10 minutes;
 * it recommends one every 20 s.
 * https://bybit-exchange.github.io/docs/v5/websocket/public/orderbook
 * https://bybit-exchange.github.io/docs/v5/ws/connect#how-to-send-the-heartbeat-packet
 */
export class BybitProtocol implements BookProtocol {
  readonly url: string;
  readonly heartbeat = { intervalMs: 20_000, frame: JSON.stringify({ op: 'ping' }) };
  private readonly books = new Map<string, BybitBookSync>();
  private readonly subscribedDepth: number;

  constructor(private readonly options: BybitProtocolOptions) {
    const depth = SPOT_DEPTHS.find((d) => d >= options.depth);
    if (depth === undefined) throw new Error(`bybit spot books go to ${SPOT_DEPTHS.at(-1)} levels, asked for ${options.depth}`);
    this.subscribedDepth = depth;
    for (const symbol of options.symbols) this.books.set(symbol, new BybitBookSync(options.venue, symbol, options.depth));
    this.url = `${options.wsUrl}/v5/public/spot`;
  }

  opened(context: FeedContext): void {
    const topics = [...this.books.keys()].map((symbol) => this.topic(symbol));
    for (let i = 0; i < topics.length; i += TOPICS_PER_REQUEST) context.send({ op: 'subscribe', args: topics.slice(i, i + TOPICS_PER_REQUEST) });
  }

  frame(payload: unknown, receivedAtMs: number): BookEvent[] {
    if (typeof payload !== 'object' || payload === null) return [];
    const push = payload as BybitPush;
    if (push.success === false) this.options.logger.error({ venue: this.options.venue }, `bybit refused ${push.op ?? 'a request'}: ${push.ret_msg ?? ''}`);
    if (!push.topic?.startsWith('orderbook.') || (push.type !== 'snapshot' && push.type !== 'delta')) return [];
    const { data } = push;
    if (!data || typeof data.u !== 'number' || !Array.isArray(data.b) || !Array.isArray(data.a)) throw new VenuePayloadError(`bybit ${push.topic}`, 'needs data with s, u, b and a');
    const book = this.books.get(data.s);
    return book ? book.onMessage(push.type, data, push.ts ?? null, receivedAtMs) : [];
  }

  resync(symbol: string, context: FeedContext): void {
    context.send({ op: 'unsubscribe', args: [this.topic(symbol)] });
    context.send({ op: 'subscribe', args: [this.topic(symbol)] });
  }

  dropped(reason: string, at: number): BookEvent[] {
    return resetSynced(this.books.values(), reason, at);
  }

  private topic(symbol: string): string {
    return `orderbook.${this.subscribedDepth}.${symbol}`;
  }
}

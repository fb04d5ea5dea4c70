import type { Logger } from '@crossvenue/runtime';
import type { BookEvent } from '../../book/BookEvent.ts';
import { OkxBookSync, type OkxBookData } from './OkxBookSync.ts';
import { VenuePayloadError } from '../../VenuePayloadError.ts';
import { resetSynced, type BookProtocol, type FeedContext } from '../../native/BookProtocol.ts';

export interface OkxProtocolOptions {
  venue: string;
  /** e.g. wss://ws.okx.com:8443, or a local server's ws://127.0.0.1:port */
  wsUrl: string;
  /** Instrument ids: BTC-USDT, BTC-USDT-SWAP. */
  symbols: readonly string[];
  depth: number;
  logger: Logger;
}

interface OkxPush {
  arg?: { channel?: string; instId?: string };
  action?: 'snapshot' | 'update';
  data?: OkxBookData[];
  event?: string;
  msg?: string;
}

/**
 * OKX v5 public `books` channel (400 levels, snapshot then updates, seqId/prevSeqId, CRC32 of the
 * top 25): a resync unsubscribes and subscribes again, which makes OKX send a new snapshot.
 * OKX closes a connection that is silent for 30 s, hence the "ping" every 20 s.
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel
 * https://www.okx.com/docs-v5/en/#overview-websocket-connect
 */
export class OkxProtocol implements BookProtocol {
  readonly url: string;
  readonly heartbeat = { intervalMs: 20_000, frame: 'ping' };
  private readonly books = new Map<string, OkxBookSync>();

  constructor(private readonly options: OkxProtocolOptions) {
    for (const symbol of options.symbols) this.books.set(symbol, new OkxBookSync(options.venue, symbol, options.depth));
    this.url = `${options.wsUrl}/ws/v5/public`;
  }

  opened(context: FeedContext): void {
    context.send({ op: 'subscribe', args: [...this.books.keys()].map(channel) });
  }

  frame(payload: unknown, receivedAtMs: number): BookEvent[] {
    if (typeof payload !== 'object' || payload === null) return [];
    const push = payload as OkxPush;
    if (push.event === 'error') this.options.logger.error({ venue: this.options.venue }, `okx refused a request: ${push.msg ?? ''}`);
    if (push.arg?.channel !== 'books' || !push.action) return [];
    const book = this.books.get(push.arg.instId ?? '');
    if (!book) return [];
    if (!Array.isArray(push.data)) throw new VenuePayloadError('okx books push', 'needs a data array');
    return push.data.flatMap((data) => book.onMessage(push.action!, data, receivedAtMs));
  }

  resync(symbol: string, context: FeedContext): void {
    context.send({ op: 'unsubscribe', args: [channel(symbol)] });
    context.send({ op: 'subscribe', args: [channel(symbol)] });
  }

  dropped(reason: string, at: number): BookEvent[] {
    return resetSynced(this.books.values(), reason, at);
  }
}

const channel = (instId: string) => ({ channel: 'books', instId });

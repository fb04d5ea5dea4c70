import type { Logger } from '@crossvenue/runtime';
import { BinanceBookSync, type BinanceDepthDiff, type BinanceDepthSnapshotPayload } from './BinanceBookSync.ts';
import type { BookEvent } from '../../book/BookEvent.ts';
import { VenuePayloadError } from '../../VenuePayloadError.ts';
import { resetSynced, type BookProtocol, type FeedContext } from '../../native/BookProtocol.ts';

export interface BinanceProtocolOptions {
  venue: string;
  /** USD-M futures (`pu` chain, /fapi) rather than spot (`U` = previous `u` + 1, /api/v3). */
  futures: boolean;
  /** e.g. wss://stream.binance.com:9443, wss://fstream.binance.com, or a simulator's ws://127.0.0.1:port */
  wsUrl: string;
  /** e.g. https://api.binance.com, https://fapi.binance.com */
  restUrl: string;
  /** Venue symbols: BTCUSDT. */
  symbols: readonly string[];
  depth: number;
  logger: Logger;
  /** Wait before asking again for a snapshot the venue did not give. */
  snapshotRetryMs?: number;
}

/** Binance's REST snapshot depth: deep enough that the top levels we publish never run out. */
const SNAPSHOT_LIMIT = 1000;

/**
 * Binance spot and USD-M diff depth: a combined `<symbol>@depth@100ms` stream, buffered by the
 * synchronizer until the REST `/depth` snapshot arrives; a resync fetches a new snapshot.
 * https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams#diff-depth-stream
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Diff-Book-Depth-Streams
 */
export class BinanceProtocol implements BookProtocol {
  readonly url: string;
  private readonly books = new Map<string, BinanceBookSync>();
  private readonly fetching = new Set<string>();
  /** Bumped on every drop, so a snapshot asked for on a previous connection is thrown away. */
  private connection = 0;

  constructor(private readonly options: BinanceProtocolOptions) {
    for (const symbol of options.symbols) this.books.set(symbol, new BinanceBookSync(options.venue, symbol, { futures: options.futures, depth: options.depth }));
    this.url = `${options.wsUrl}/stream?streams=${options.symbols.map((s) => `${s.toLowerCase()}@depth@100ms`).join('/')}`;
  }

  opened(context: FeedContext): void {
    for (const symbol of this.books.keys()) this.fetchSnapshot(symbol, context);
  }

  frame(payload: unknown, receivedAtMs: number): BookEvent[] {
    // The combined stream wraps each event as {stream, data}.
    const data = (payload as { data?: unknown } | null)?.data;
    if (typeof data !== 'object' || data === null || (data as { e?: unknown }).e !== 'depthUpdate') return [];
    const diff = parseDiff(data as Record<string, unknown>);
    const book = this.books.get(diff.s);
    return book ? book.onDiff(diff, receivedAtMs) : [];
  }

  resync(symbol: string, context: FeedContext): void {
    this.fetchSnapshot(symbol, context);
  }

  dropped(reason: string, at: number): BookEvent[] {
    this.connection++;
    this.fetching.clear();
    return resetSynced(this.books.values(), reason, at);
  }

  private fetchSnapshot(symbol: string, context: FeedContext): void {
    if (this.fetching.has(symbol)) return;
    this.fetching.add(symbol);
    void this.loadSnapshot(symbol, context, this.connection);
  }

  private async loadSnapshot(symbol: string, context: FeedContext, connection: number): Promise<void> {
    const path = this.options.futures ? '/fapi/v1/depth' : '/api/v3/depth';
    let snapshot: BinanceDepthSnapshotPayload;
    let receivedAtMs: number;
    try {
      const response = await context.fetchJson(`${this.options.restUrl}${path}?symbol=${symbol}&limit=${SNAPSHOT_LIMIT}`);
      snapshot = parseSnapshot(response.payload, symbol);
      receivedAtMs = response.receivedAtMs;
    } catch (error) {
      if (connection !== this.connection) return;
      this.options.logger.warn({ venue: this.options.venue, symbol }, `depth snapshot of ${symbol} failed: ${(error as Error).message}; retrying`);
      await new Promise((resolve) => setTimeout(resolve, this.options.snapshotRetryMs ?? 1000));
      if (connection === this.connection) await this.loadSnapshot(symbol, context, connection);
      return;
    }
    // A snapshot asked for on a connection that has since dropped belongs to no stream we still hold.
    if (connection !== this.connection) return;
    this.fetching.delete(symbol);
    context.emit(this.books.get(symbol)!.onSnapshot(snapshot, receivedAtMs));
  }
}

function parseDiff(data: Record<string, unknown>): BinanceDepthDiff {
  const { s, U, u, b, a } = data;
  if (typeof s !== 'string' || typeof U !== 'number' || typeof u !== 'number' || !Array.isArray(b) || !Array.isArray(a)) {
    throw new VenuePayloadError('binance depthUpdate', 'needs s, U, u, b and a');
  }
  return data as unknown as BinanceDepthDiff;
}

function parseSnapshot(payload: unknown, symbol: string): BinanceDepthSnapshotPayload {
  const { lastUpdateId, bids, asks } = (payload ?? {}) as Record<string, unknown>;
  if (typeof lastUpdateId !== 'number' || !Array.isArray(bids) || !Array.isArray(asks)) {
    throw new VenuePayloadError(`binance depth snapshot of ${symbol}`, 'needs lastUpdateId, bids and asks');
  }
  return payload as BinanceDepthSnapshotPayload;
}

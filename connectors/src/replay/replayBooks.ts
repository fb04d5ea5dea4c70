import { BinanceBookSync, type BinanceDepthDiff, type BinanceDepthSnapshotPayload } from '../venues/binance/BinanceBookSync.ts';
import type { BookEvent } from '../book/BookEvent.ts';
import { BybitBookSync, type BybitOrderbookData } from '../venues/bybit/BybitBookSync.ts';
import { KrakenBookSync } from '../venues/kraken/KrakenBookSync.ts';
import { parseKrakenBookMessage, type KrakenBookMessage } from '../venues/kraken/krakenBookMessage.ts';
import { OkxBookSync, type OkxBookData } from '../venues/okx/OkxBookSync.ts';
import { VenuePayloadError } from '../VenuePayloadError.ts';
import { CaptureFormatError, readCapture, type CapturedPayload } from './captureFile.ts';

interface Dialect {
  /** Feeds one payload; returns the book events it caused. */
  feed(payload: CapturedPayload): BookEvent[];
}

export interface ReplaySummary {
  payloads: number;
  bookEvents: number;
  resyncs: number;
}

/**
 * Replays recorded venue traffic through the same book synchronizers the live connectors use,
 * in receive-time order across all files, and hands every book event and resync to `onEvent`.
 */
export async function replayBooks(files: string[], depth: number, onEvent: (event: BookEvent) => void): Promise<ReplaySummary> {
  const payloads: CapturedPayload[] = [];
  for (const file of files) for await (const payload of readCapture(file)) payloads.push(payload);
  payloads.sort((a, b) => a.receivedAtMs - b.receivedAtMs);

  const dialects = new Map<string, Dialect>();
  const summary: ReplaySummary = { payloads: payloads.length, bookEvents: 0, resyncs: 0 };
  for (const payload of payloads) {
    const name = dialectOf(payload);
    let dialect = dialects.get(name);
    if (!dialect) dialects.set(name, (dialect = DIALECTS[name](depth)));
    for (const event of dialect.feed(payload)) {
      if (event.type === 'book') summary.bookEvents++;
      else summary.resyncs++;
      onEvent(event);
    }
  }
  return summary;
}

type DialectName = 'binance' | 'binanceusdm' | 'binancecoinm' | 'okx' | 'bybit' | 'kraken';

function dialectOf({ url, origin, dialect }: CapturedPayload): DialectName {
  if (dialect !== undefined) {
    if (dialect in DIALECTS) return dialect as DialectName;
    throw new CaptureFormatError(`${origin}: no book replay for dialect ${dialect} (${Object.keys(DIALECTS).join(', ')})`);
  }
  const { hostname: host, pathname } = new URL(url);
  if (host.startsWith('fapi.') || host.startsWith('fstream.')) return 'binanceusdm';
  if (host.startsWith('dapi.') || host.startsWith('dstream.')) return 'binancecoinm';
  if (host.endsWith('binance.com') || host.endsWith('binance.us')) return 'binance';
  if (host.endsWith('okx.com')) return 'okx';
  // Only v5: the legacy (2021) realtime streams have another book format.
  if (host.endsWith('bybit.com') && pathname.startsWith('/v5/')) return 'bybit';
  // Kraken spot ws v1 is served at the root; v2 (/v2) and Kraken Futures have other formats.
  if (host.endsWith('ws.kraken.com') && !pathname.startsWith('/v2')) return 'kraken';
  throw new CaptureFormatError(`${origin}: no book replay for ${host}${pathname} (binance spot, USD-M and COIN-M futures, okx v5, bybit v5 and kraken spot ws v1 are supported)`);
}

const DIALECTS: Record<DialectName, (depth: number) => Dialect> = {
  binance: (depth) => binanceDialect('binance', false, depth),
  binanceusdm: (depth) => binanceDialect('binanceusdm', true, depth),
  binancecoinm: (depth) => binanceDialect('binancecoinm', true, depth),
  okx: okxDialect,
  bybit: bybitDialect,
  kraken: krakenDialect,
};

function binanceDialect(venue: string, futures: boolean, depth: number): Dialect {
  const books = new Map<string, BinanceBookSync>();
  const bookOf = (symbol: string) => {
    let book = books.get(symbol);
    if (!book) books.set(symbol, (book = new BinanceBookSync(venue, symbol, { futures, depth })));
    return book;
  };
  return {
    feed: ({ kind, url, payload, receivedAtMs }) => {
      if (kind === 'rest') {
        const symbol = new URL(url).searchParams.get('symbol');
        return symbol && new URL(url).pathname.endsWith('/depth') ? bookOf(symbol).onSnapshot(payload as BinanceDepthSnapshotPayload, receivedAtMs) : [];
      }
      // Combined streams wrap each event as {stream, data}.
      const data = ((payload as { data?: unknown }).data ?? payload) as BinanceDepthDiff & { e?: string };
      return data.e === 'depthUpdate' ? bookOf(data.s).onDiff(data, receivedAtMs) : [];
    },
  };
}

function okxDialect(depth: number): Dialect {
  const books = new Map<string, OkxBookSync>();
  return {
    feed: ({ kind, payload, receivedAtMs }) => {
      const message = payload as { arg?: { channel?: string; instId?: string }; action?: 'snapshot' | 'update'; data?: OkxBookData[] };
      if (kind !== 'ws' || message.arg?.channel !== 'books' || !message.action || !message.data) return [];
      const symbol = message.arg.instId!;
      let book = books.get(symbol);
      if (!book) books.set(symbol, (book = new OkxBookSync('okx', symbol, depth)));
      return message.data.flatMap((data) => book.onMessage(message.action!, data, receivedAtMs));
    },
  };
}

function bybitDialect(depth: number): Dialect {
  const books = new Map<string, BybitBookSync>();
  return {
    feed: ({ kind, payload, receivedAtMs }) => {
      const message = payload as { topic?: string; type?: string; ts?: number; data?: BybitOrderbookData };
      if (kind !== 'ws' || !message.topic?.startsWith('orderbook.') || (message.type !== 'snapshot' && message.type !== 'delta') || !message.data) return [];
      const symbol = message.data.s;
      let book = books.get(symbol);
      if (!book) books.set(symbol, (book = new BybitBookSync('bybit', symbol, depth)));
      return book.onMessage(message.type, message.data, message.ts ?? null, receivedAtMs);
    },
  };
}

function krakenDialect(depth: number): Dialect {
  const books = new Map<string, KrakenBookSync>();
  return {
    feed: ({ kind, payload, receivedAtMs, origin }) => {
      const message = kind === 'ws' ? krakenBookMessage(payload, origin) : undefined;
      if (!message) return [];
      let book = books.get(message.pair);
      if (!book) books.set(message.pair, (book = new KrakenBookSync('kraken', message.pair, depth)));
      return book.onMessage(message.action, message.data, receivedAtMs);
    },
  };
}

function krakenBookMessage(payload: unknown, origin: string): KrakenBookMessage | undefined {
  try {
    return parseKrakenBookMessage(payload);
  } catch (error) {
    if (error instanceof VenuePayloadError) throw new CaptureFormatError(`${origin}: ${error.message}`);
    throw error;
  }
}

import { BinanceBookSync, type BinanceDepthDiff, type BinanceDepthSnapshotPayload } from '../binance/BinanceBookSync.ts';
import type { BookEvent } from '../book/BookEvent.ts';
import { OkxBookSync, type OkxBookData } from '../okx/OkxBookSync.ts';
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

type DialectName = 'binance' | 'binanceusdm' | 'binancecoinm' | 'okx';

function dialectOf({ url, origin }: CapturedPayload): DialectName {
  const host = new URL(url).hostname;
  if (host.startsWith('fapi.') || host.startsWith('fstream.')) return 'binanceusdm';
  if (host.startsWith('dapi.') || host.startsWith('dstream.')) return 'binancecoinm';
  if (host.endsWith('binance.com') || host.endsWith('binance.us')) return 'binance';
  if (host.endsWith('okx.com')) return 'okx';
  throw new CaptureFormatError(`${origin}: no book replay for ${host} (binance spot, USD-M and COIN-M futures, and okx are supported)`);
}

const DIALECTS: Record<DialectName, (depth: number) => Dialect> = {
  binance: (depth) => binanceDialect('binance', false, depth),
  binanceusdm: (depth) => binanceDialect('binanceusdm', true, depth),
  binancecoinm: (depth) => binanceDialect('binancecoinm', true, depth),
  okx: okxDialect,
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

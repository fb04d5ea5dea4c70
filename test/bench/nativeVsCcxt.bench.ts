/**
 * Native adapter vs ccxt.pro on the same recorded traffic: the Binance USD-M capture (4 perps,
 * REST depth snapshots + 31 s of depth@100ms diffs) served by a local CaptureServer as the venue
 * would. Each session is a fresh client: it connects, takes the REST snapshots, and then the server
 * sends every recorded frame as fast as the socket takes them; the session ends when every book
 * has applied the capture's last diff. Timed from the first streamed frame to that point:
 * book updates/s = diffs applied / time. A second table takes the socket away: the same frames,
 * already received as text, handed to each client's message handler after its snapshots, which is
 * where the two differ (JSON parsing and socket reads are the same work for both).
 * Run: `npm run bench` (connectors) or `npx tsx <this file>`.
 */
import { Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@crossvenue/runtime';
import ccxt, { type Exchange, type Market } from 'ccxt';
import {
  readCapture,
  type CapturedPayload,
  BinanceProtocol,
  httpGetJson,
  NativeBookFeed,
} from '@crossvenue/connectors';
import { CaptureServer, type CaptureEndpoints } from '@crossvenue/simulator';

const DATA = fileURLToPath(new URL('../../../shared/data/venues/cryptofeed/sample_data', import.meta.url));
const FILES = ['BINANCE_FUTURES.0', 'BINANCE_FUTURES.http.0.0', 'BINANCE_FUTURES.ws.1.0'].map((name) => DATA + name);
const SESSIONS = 30;
const logger = createLogger('bench', { level: 'silent' });

interface Bench {
  server: CaptureServer;
  /** The recorded frames as the socket delivers them: combined (`{stream, data}`) and raw. */
  frames: { combined: string[]; raw: string[] };
  endpoints: CaptureEndpoints;
  /** Venue symbol → the `u` of its last diff: a book is done once it has applied it. */
  lastU: Map<string, number>;
  markets: Market[];
  /** Unified symbol (SUSHI/USDT:USDT) → venue symbol (SUSHIUSDT). */
  idOf: Map<string, string>;
}

interface Session {
  ms: number;
  /** Native: book events from diffs; ccxt: resolved watch calls (ccxt coalesces updates between awaits). */
  updates: number;
}

async function nativeSession({ server, endpoints, lastU }: Bench): Promise<Session> {
  const symbols = [...lastU.keys()];
  const protocol = new BinanceProtocol({ venue: 'binanceusdm', futures: true, ...endpoints, symbols, depth: 20, logger });
  const done = new Set<string>();
  let updates = 0;
  await new Promise<void>((resolve, reject) => {
    const feed = new NativeBookFeed({
      protocol,
      logger,
      onEvent: (event) => {
        if (event.type === 'resync') return reject(new Error(`native resync: ${event.reason}`));
        if (event.source === 'delta') updates++;
        if (event.sequence === lastU.get(event.symbol)) done.add(event.symbol);
        if (done.size === symbols.length) {
          feed.stop();
          resolve();
        }
      },
    });
    feed.start();
  });
  return { ms: performance.now() - server.streamStartedAt!, updates };
}

function ccxtClient(endpoints: CaptureEndpoints): Exchange {
  return new ccxt.pro.binanceusdm({
    enableRateLimit: false,
    httpAgent: new Agent({ keepAlive: true }),
    urls: { api: { fapiPublic: `${endpoints.restUrl}/fapi/v1`, ws: { future: `${endpoints.wsUrl}/ws` } } },
    options: { fetchMarkets: { types: ['linear'] }, fetchCurrencies: false },
  });
}

/** A fresh client per session, as for the native feed (ccxt.pro also delays reconnects of a closed client). */
async function ccxtSession({ server, endpoints, lastU, markets, idOf }: Bench): Promise<Session> {
  const exchange = ccxtClient(endpoints);
  exchange.setMarkets(markets);
  const symbols = [...idOf.keys()];
  let updates = 0;
  for (;;) {
    await exchange.watchOrderBookForSymbols(symbols);
    updates++;
    if (symbols.every((symbol) => exchange.orderbooks[symbol]?.nonce === lastU.get(idOf.get(symbol)!))) break;
  }
  const ms = performance.now() - server.streamStartedAt!;
  await exchange.close();
  return { ms, updates };
}

/** The native protocol, synced from the REST snapshots, then handed every frame's text. */
async function nativeInMemory({ endpoints, frames, lastU }: Bench): Promise<Session> {
  const protocol = new BinanceProtocol({ venue: 'binanceusdm', futures: true, ...endpoints, symbols: [...lastU.keys()], depth: 20, logger });
  let synced = 0;
  const context = { send: () => {}, fetchJson: (url: string) => httpGetJson(url, Date.now), emit: () => void synced++ };
  protocol.opened(context);
  while (synced < lastU.size) await new Promise((resolve) => setTimeout(resolve, 1));
  let updates = 0;
  const started = performance.now();
  for (const text of frames.combined) updates += protocol.frame(JSON.parse(text), 0).length;
  return { ms: performance.now() - started, updates };
}

/** ccxt.pro's Binance handler on a client that is never connected, its books reset from the REST snapshots as watchOrderBook does. */
async function ccxtInMemory({ endpoints, frames, lastU, markets, idOf }: Bench): Promise<Session> {
  const exchange = ccxtClient(endpoints);
  exchange.setMarkets(markets);
  for (const symbol of idOf.keys()) {
    const book = exchange.orderBook({}, 1000);
    book.reset(await exchange.fetchOrderBook(symbol, 1000));
    exchange.orderbooks[symbol] = book;
  }
  const client = exchange.client(`${endpoints.wsUrl}/public/ws/bench`);
  const started = performance.now();
  for (const text of frames.raw) exchange.handleMessage(client, JSON.parse(text));
  const ms = performance.now() - started;
  const behind = [...idOf].filter(([symbol, id]) => exchange.orderbooks[symbol]!.nonce !== lastU.get(id));
  if (behind.length > 0) throw new Error(`ccxt in memory: ${behind.map(([symbol]) => symbol).join(', ')} did not reach the last diff`);
  await exchange.close();
  // No watch call waits on this client, so none resolves: no updates seen.
  return { ms, updates: 0 };
}

async function setUp(): Promise<Bench> {
  const payloads: CapturedPayload[] = [];
  for (const file of FILES) for await (const payload of readCapture(file)) payloads.push(payload);
  const lastU = new Map<string, number>();
  for (const { kind, payload } of payloads) {
    const data = (payload as { data?: { e?: string; s: string; u: number } }).data;
    if (kind === 'ws' && data?.e === 'depthUpdate') lastU.set(data.s, data.u);
  }
  const received = payloads.filter((payload) => payload.kind === 'ws').map((payload) => payload.payload as { data: unknown });
  const frames = { combined: received.map((frame) => JSON.stringify(frame)), raw: received.map((frame) => JSON.stringify(frame.data)) };
  const server = new CaptureServer(payloads, { holdFramesForRestRequests: lastU.size });
  const endpoints = await server.start();
  const loader = ccxtClient(endpoints);
  const markets = Object.values(await loader.loadMarkets());
  const watched = markets.filter((market): market is NonNullable<Market> => market !== undefined && lastU.has(market.id!));
  const idOf = new Map(watched.map((market) => [market.symbol, market.id!]));
  return { server, frames, endpoints, lastU, markets, idOf };
}

/** Runs the two alternately (so that load from other processes hits both alike) after one warm-up each. */
async function compare(bench: Bench, native: (bench: Bench) => Promise<Session>, pro: (bench: Bench) => Promise<Session>) {
  const runs = { native: [] as Session[], ccxt: [] as Session[] };
  await native(bench);
  await pro(bench);
  for (let i = 0; i < SESSIONS; i++) {
    runs.native.push(await native(bench));
    runs.ccxt.push(await pro(bench));
  }
  return runs;
}

async function main(): Promise<void> {
  const bench = await setUp();
  const live = await compare(bench, nativeSession, ccxtSession);
  const memory = await compare(bench, nativeInMemory, ccxtInMemory);
  await bench.server.stop();
  // Every session ends only when every book has applied the capture's last diff: the same work.
  const diffs = live.native[0]!.updates;
  console.log(`native vs ccxt.pro ${ccxt.version}: Binance USD-M capture, ${bench.lastU.size} books, ${diffs} diffs per session, median of ${SESSIONS} sessions`);
  console.table({
    'native (ws + BinanceBookSync)': row(live.native, diffs),
    'ccxt.pro watchOrderBookForSymbols': row(live.ccxt, diffs),
  });
  console.log('the same frames already received (no socket): parse + book upkeep only');
  console.table({
    'native BinanceProtocol.frame': row(memory.native, diffs),
    'ccxt.pro binanceusdm.handleMessage': row(memory.ccxt, diffs),
  });
}

/** Medians: this machine is shared, and a few sessions land on a busy moment. */
function row(sessions: Session[], diffs: number) {
  const ms = median(sessions.map((session) => session.ms));
  return { 'ms per session': Math.round(ms * 10) / 10, 'book updates/s': Math.round(diffs / (ms / 1000)), 'updates seen per session': median(sessions.map((session) => session.updates)) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

await main();

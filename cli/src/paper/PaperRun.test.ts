import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { readCapture, type CapturedPayload } from '@crossvenue/connectors';
import { createLogger } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { Decimal, TOPICS, type BookSnapshot, type Fill, type OrderEvent } from '@crossvenue/schemas';
import { CaptureServer } from '@crossvenue/simulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../args.ts';
import { startCommand } from '../commands/start.ts';
import { gatewayClient } from '../embedded/gatewayClient.ts';
import { localApiKey } from '../embedded/localApiKey.ts';
import { paperSettings, type PaperArgs } from './paperSettings.ts';
import { PAPER_PORTFOLIO, startPaperRun, type PaperRun } from './PaperRun.ts';

/** `../shared/data/venues` beside the repository: the "live" venues here are recorded sessions served on loopback. */
const DATA = fileURLToPath(new URL('../../../../shared/data/venues/cryptofeed/sample_data', import.meta.url));
const BINANCE = [`${DATA}/BINANCE.http.0.0`, `${DATA}/BINANCE.ws.1.0`];
const OKX = [`${DATA}/OKX.ws.1.0`];
const HAVE_DATA = [...BINANCE, ...OKX].every((file) => existsSync(file));
if (!HAVE_DATA) console.warn(`PaperRun.test.ts: skipped, no recorded captures under ${DATA} (see /work/shared/data/venues/MANIFEST.md)`);

const WAIT_MS = 15_000;
/** The captures hold NKNUSDT on Binance and BTC-USDT on OKX: both followed on both venues, each trades where it has a book. */
const ARGS: PaperArgs = { venues: 'binance,okx', symbols: 'BTC/USDT,NKN/USDT', latency: 'binance=5,okx=5', balances: 'USDT=1000000,BTC=10,NKN=50000', strategy: false };

interface AccountStatus {
  positions: { byUnderlying: Array<{ underlying: string; netQuantity: string }> };
  balances: { byAccount: Array<{ venue: string; account: string; asset: string; total: string }> };
}

async function serve(files: readonly string[]): Promise<CaptureServer> {
  const payloads: CapturedPayload[] = [];
  for (const file of files) for await (const payload of readCapture(file)) payloads.push(payload);
  return new CaptureServer(payloads);
}

/** The books the paper venue had: the last published one per venue and instrument, and whether it has stopped changing (a heartbeat repeated it). */
class BookWatch {
  readonly last = new Map<string, BookSnapshot>();
  readonly still = new Set<string>();

  see(book: BookSnapshot): void {
    const key = `${book.venue} ${book.instrument}`;
    const previous = this.last.get(key);
    if (previous && JSON.stringify([previous.bids, previous.asks]) === JSON.stringify([book.bids, book.asks])) this.still.add(key);
    else this.still.delete(key);
    this.last.set(key, book);
  }
}

describe.skipIf(!HAVE_DATA)('crossvenue start --paper over the recorded Binance and OKX sessions served as the live venues', () => {
  const { key, keys } = localApiKey('trader');
  const servers: CaptureServer[] = [];
  const env: Record<string, string> = {};
  const books = new BookWatch();
  const fills: Fill[] = [];
  const events: OrderEvent[] = [];
  let run: PaperRun;
  const api = gatewayClient(() => run.gatewayUrl, key);
  const status = async () => (await api<AccountStatus>(`/execution/account_status?portfolio=${PAPER_PORTFOLIO}`)).body;
  const position = async (underlying: string) => new Decimal((await status()).positions.byUnderlying.find((row) => row.underlying === underlying)?.netQuantity ?? 0);

  beforeAll(async () => {
    const [binance, okx] = await Promise.all([serve(BINANCE), serve(OKX)]);
    servers.push(binance!, okx!);
    const binanceAt = await binance!.start();
    const okxAt = await okx!.start();
    Object.assign(env, { BINANCE_WS_URL: binanceAt.wsUrl, BINANCE_REST_URL: binanceAt.restUrl, OKX_WS_URL: okxAt.wsUrl });
    run = await startPaperRun({ settings: paperSettings(ARGS, env), gatewayPort: 0, keys, logger: createLogger('paper-test', { level: 'silent' }) });
    await run.messages.subscribe({
      groupId: `observer-${randomUUID()}`,
      topics: [TOPICS.bookSnapshots, TOPICS.fills, TOPICS.orderEvents],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, value } of batch) {
          if (topic === TOPICS.bookSnapshots.name) books.see(value as BookSnapshot);
          else if (topic === TOPICS.fills.name) fills.push(value as Fill);
          else events.push(value as OrderEvent);
        }
      },
    });
    // The captures are streamed at once and then stay quiet: each book is final once its heartbeat repeats it.
    await waitFor('the captured books, final', () => books.still.has('okx BTC/USDT') && books.still.has('binance NKN/USDT'), WAIT_MS);
  }, 30_000);

  afterAll(async () => {
    await run?.stop();
    for (const server of servers) await server.stop();
  });

  it.each([
    { venue: 'okx', instrument: 'BTC/USDT', underlying: 'BTC', side: 'BUY', amount: '0.1' },
    { venue: 'binance', instrument: 'NKN/USDT', underlying: 'NKN', side: 'SELL', amount: '12000' },
  ] as const)('fills a market $side of $amount $instrument on $venue against the captured book, never better, and moves the position and balances', async ({ venue, instrument, underlying, side, amount }) => {
    const book = books.last.get(`${venue} ${instrument}`)!;
    const before = await position(underlying);
    const placed = await api<{ intentId: string }>('/execution/unified_order', { portfolio: PAPER_PORTFOLIO, instrument, side, amount });
    expect(placed.status).toBe(202);
    const { intentId } = placed.body;
    const orders = async () => (await api<{ actual: { orders: OrderEvent[] } }>(`/intents/${intentId}`)).body.actual.orders;
    await waitFor('the order FILLED', async () => (await orders()).some((order) => order.state === 'FILLED'), WAIT_MS);
    const [order] = await orders();
    expect(order).toMatchObject({ venue, account: 'paper', state: 'FILLED', filledQuantity: amount });

    // Every fill took a level of the book the paper venue had, at its price, never more than it held.
    const mine = fills.filter((fill) => fill.clientOrderId === order!.clientOrderId);
    const levels = side === 'BUY' ? book.asks : book.bids;
    const taken = new Map<string, Decimal>();
    for (const fill of mine) {
      expect(fill).toMatchObject({ venue, account: 'paper', liquidity: 'TAKER', side });
      const level = levels.find((l) => new Decimal(l.price).eq(fill.price));
      expect(level, `${fill.price} is a level of the book`).toBeDefined();
      taken.set(level!.price, (taken.get(level!.price) ?? new Decimal(0)).plus(fill.quantity));
      expect(side === 'BUY' ? new Decimal(fill.price).gte(levels[0]!.price) : new Decimal(fill.price).lte(levels[0]!.price)).toBe(true);
    }
    for (const [price, quantity] of taken) expect(quantity.lte(levels.find((l) => l.price === price)!.quantity)).toBe(true);
    expect(taken.size).toBeGreaterThan(1);
    expect(mine.reduce((sum, fill) => sum.plus(fill.quantity), new Decimal(0)).toFixed()).toBe(amount);
    // Still that book: the one the venue had when the order arrived.
    expect(books.last.get(`${venue} ${instrument}`)![side === 'BUY' ? 'asks' : 'bids']).toEqual(levels);

    const sign = side === 'BUY' ? 1 : -1;
    await waitFor(`the ${underlying} position moved by ${side === 'BUY' ? '' : '-'}${amount}`, async () => (await position(underlying)).minus(before).eq(new Decimal(amount).times(sign)), WAIT_MS);
    // The paper account paid (or got) the notional, less the fee, in USDT.
    const notional = mine.reduce((sum, fill) => sum.plus(new Decimal(fill.price).times(fill.quantity)), new Decimal(0));
    const fees = mine.reduce((sum, fill) => sum.plus(fill.fee), new Decimal(0));
    const usdt = new Decimal(1_000_000).minus(notional.times(sign)).minus(fees);
    const balance = async () => (await status()).balances.byAccount.find((row) => row.venue === venue && row.account === 'paper' && row.asset === 'USDT')?.total;
    await waitFor(`${venue} paper USDT at ${usdt.toFixed()}`, async () => new Decimal((await balance()) ?? 0).eq(usdt), WAIT_MS);
  }, 30_000);

  it('rests a GTC limit below the book unfilled, and cancels it through the pipeline', async () => {
    const placed = await api<{ intentId: string }>('/execution/unified_order', { portfolio: PAPER_PORTFOLIO, instrument: 'BTC/USDT', side: 'BUY', amount: '0.01', limitPrice: '30000', timeInForce: 'GTC' });
    expect(placed.status).toBe(202);
    const { intentId } = placed.body;
    const orders = async () => (await api<{ actual: { orders: OrderEvent[] } }>(`/intents/${intentId}`)).body.actual.orders;
    await waitFor('the order resting', async () => (await orders()).some((order) => order.state === 'NEW'), WAIT_MS);
    expect(await api('/execution/unified_cancel', { intentId })).toMatchObject({ status: 202 });
    await waitFor('the order CANCELED', async () => (await orders()).some((order) => order.state === 'CANCELED'), WAIT_MS);
    const [order] = await orders();
    expect(order).toMatchObject({ venue: 'okx', account: 'paper', filledQuantity: '0' });
    expect(fills.filter((fill) => fill.clientOrderId === order!.clientOrderId)).toEqual([]);
  }, 30_000);

  it('publishes every order event and fill on the paper account', () => {
    expect(events.length).toBeGreaterThan(0);
    expect([...new Set([...events, ...fills].map((record) => record.account))]).toEqual(['paper']);
  });

  it('runs the demo strategy (MidReversion) unchanged in paper mode', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _encoding, done) => void (lines.push(chunk.toString('utf8')), done()) });
    const logger = createLogger('paper-strategy-test', { level: 'info', destination });
    const withStrategy = await startPaperRun({ settings: paperSettings({ ...ARGS, strategy: true }, env), gatewayPort: 0, keys, logger });
    try {
      await waitFor('the strategy running', () => lines.some((line) => line.includes(`strategy demo-reversion running for portfolio ${PAPER_PORTFOLIO} on BTC/USDT`)), WAIT_MS);
      expect(lines.some((line) => line.includes('PAPER TRADING'))).toBe(true);
    } finally {
      await withStrategy.stop();
    }
  }, 30_000);
});

describe('crossvenue start --paper refuses before anything starts', () => {
  it('refuses venue credentials in the environment, in one line', async () => {
    for (const name of ['VENUE_API_KEY', 'VENUE_API_SECRET', 'CROSSVENUE_SECRETS_FILE']) {
      expect(() => paperSettings({ strategy: true }, { [name]: 'x' })).toThrow(new UsageError(`start --paper: refusing to run with venue credentials set (${name}); paper trading never sends an order and needs none, unset them`));
    }
    vi.stubEnv('VENUE_API_KEY', 'abc');
    try {
      await expect(startCommand(['--paper'])).rejects.toThrow(/^start --paper: refusing to run with venue credentials set \(VENUE_API_KEY\)/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it.each([
    [{ venues: 'binanceusdm' }, {}, '--venues binanceusdm: paper trading is spot only'],
    [{ venues: 'ftx' }, {}, '--venues ftx: expected some of binance, okx, bybit, kraken'],
    [{ symbols: 'BTC/USDT:USDT' }, {}, '--symbols BTC/USDT:USDT: paper trading is spot only'],
    [{ latency: 'kraken=5' }, {}, '--latency kraken=5: kraken is not among the paper venues (binance, okx)'],
    [{ balances: 'USDT=-1' }, {}, '--balances USDT=-1: a balance cannot be negative'],
    [{ symbols: 'ETH/USDT' }, {}, '--symbols: the demo strategy trades BTC/USDT; include it, or add --no-demo-strategy'],
    [{}, { OKX_WS_URL: 'http://127.0.0.1:1' }, 'OKX_WS_URL: expected a ws(s) URL'],
    [{}, { OKX_REST_URL: 'http://127.0.0.1:1' }, 'OKX_REST_URL: the okx book adapter reads no REST endpoint'],
    [{}, { BYBIT_WS_URL: 'ws://127.0.0.1:1' }, 'BYBIT_WS_URL is set but bybit is not among the paper venues'],
    [{}, { VENUE_WS_URL: 'ws://127.0.0.1:1' }, 'VENUE_WS_URL names no venue'],
  ])('refuses %j with %j', (args, environment, message) => {
    expect(() => paperSettings({ strategy: true, ...args }, environment)).toThrow(message);
  });

  it('refuses paper options without --paper', async () => {
    await expect(startCommand(['--venues', 'okx'])).rejects.toThrow('start: --venues is for paper trading; add --paper');
  });

  it('refuses --no-demo-arbitrage with --paper: a paper run has no demo arbitrage to switch off', async () => {
    await expect(startCommand(['--paper', '--no-demo-arbitrage'])).rejects.toThrow('start: --no-demo-arbitrage is for the embedded run; a paper run has no demo arbitrage');
  });
});

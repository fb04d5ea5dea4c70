import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiRoutes, IdempotencyKeys, LiveState, RUN_FILES, type SavedBacktestRun } from '@crossvenue/gateway';
import { createLogger, InProcessBus, MessageBus } from '@crossvenue/runtime';
import { Decimal, LocalCodec } from '@crossvenue/schemas';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backtestCommand } from '../commands/backtest.ts';
import type { BacktestResult } from './BacktestRun.ts';
import { loadRecordedMarket, type RecordedEvent } from './RecordedMarket.ts';

/** `../shared/data/venues` beside the repository (DESIGN.md, "Real data for tests"). */
const DATA = fileURLToPath(new URL('../../../../shared/data/venues/cryptofeed/sample_data', import.meta.url));
const BINANCE = [`${DATA}/BINANCE.http.0.0`, `${DATA}/BINANCE.ws.1.0`];
const OKX = [`${DATA}/OKX.ws.1.0`];
const HAVE_DATA = [...BINANCE, ...OKX].every((file) => existsSync(file));
if (!HAVE_DATA) console.warn(`backtest.test.ts: skipped, no recorded captures under ${DATA} (see /work/shared/data/venues/MANIFEST.md)`);

/** Aggressive takers that walk several levels, repeated so later ones meet taken liquidity, and resting orders at the touch. */
const INTENTS = [
  { at: 1000, instrument: 'NKN/USDT', side: 'BUY', amount: '6000', limitPrice: '0.3540' },
  { at: 1000, instrument: 'NKN/USDT', side: 'BUY', amount: '6000', limitPrice: '0.3540' },
  { at: 1200, instrument: 'BTC/USDT', side: 'BUY', amount: '2', limitPrice: '30300' },
  { at: 2500, instrument: 'NKN/USDT', side: 'SELL', amount: '9000', limitPrice: '0.3500' },
  { at: 3000, instrument: 'NKN/USDT', side: 'BUY', amount: '3000', limitPrice: '0.3521', timeInForce: 'GTC' },
  { at: 3000, instrument: 'NKN/USDT', side: 'SELL', amount: '3000', limitPrice: '0.3526', timeInForce: 'GTC' },
  { at: 4000, instrument: 'BTC/USDT', side: 'SELL', amount: '3', limitPrice: '30100' },
  { at: 5000, instrument: 'BTC/USDT', side: 'BUY', amount: '0.5', limitPrice: '30230', timeInForce: 'GTC' },
  { at: 9000, instrument: 'LRC/BTC', side: 'BUY', amount: '40000', limitPrice: '0.00000645' },
];

let dir: string;
let intents: string;

/** Runs the command as the CLI would, returning its stdout and exit code. */
async function backtest(...argv: string[]): Promise<{ code: number; stdout: string }> {
  const stdout = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const code = await backtestCommand(argv);
    return { code, stdout: stdout.mock.calls.map((call) => call.join(' ')).join('\n') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

async function json(...argv: string[]): Promise<BacktestResult> {
  const { code, stdout } = await backtest('--data', [...BINANCE, ...OKX].join(','), '--json', ...argv);
  expect(code).toBe(0);
  return JSON.parse(stdout) as BacktestResult;
}

/** The report without its wall-clock speed, which no two runs share. */
const withoutSpeed = ({ speed: _, ...rest }: BacktestResult) => rest;

describe.skipIf(!HAVE_DATA)('crossvenue backtest over the recorded Binance and OKX captures', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'backtest-'));
    // Every run is kept: here, not in the working directory's runs folder.
    vi.stubEnv('CROSSVENUE_BACKTESTS_DIR', join(dir, 'runs'));
    intents = join(dir, 'intents.jsonl');
    await writeFile(intents, INTENTS.map((intent) => JSON.stringify(intent)).join('\n'));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the same report twice for a seed, and other fills under another latency', async () => {
    const args = ['--intents', intents, '--fill-model', 'probabilistic', '--seed', '7', '--latency', 'binance=20/10,okx=20'];
    const first = await json(...args);
    const second = await json(...args);
    expect(withoutSpeed(second)).toEqual(withoutSpeed(first));
    expect(first.counts.fills).toBeGreaterThan(5);
    expect(new Set(first.fills.map((fill) => fill.venue))).toEqual(new Set(['binance', 'okx']));

    const slower = await json('--intents', intents, '--fill-model', 'probabilistic', '--seed', '7', '--latency', 'binance=900/10,okx=900');
    const prices = (result: BacktestResult) => result.fills.map((fill) => `${fill.venue} ${fill.side} ${fill.quantity}@${fill.price}`);
    expect(prices(slower)).not.toEqual(prices(first));
    // Every taker fill executes when its order reaches the venue: the intent's time (after its
    // instrument's first book) plus the insert latency.
    const market = await loadRecordedMarket([...BINANCE, ...OKX]);
    const firstBook = (instrument: string) => market.events.find((event) => event.kind === 'book' && event.instrument === instrument)!.atMs;
    const due = new Set(INTENTS.map((intent) => firstBook(intent.instrument) + intent.at + 900));
    const takers = slower.fills.filter((fill) => fill.liquidity === 'TAKER');
    expect(takers.length).toBeGreaterThan(0);
    for (const fill of takers) expect(due).toContain(fill.atMs);
  });

  it.each(['book', 'probabilistic'])('never fills better than the recorded book allowed at that moment (%s fill model)', async (fillModel) => {
    const result = await json('--intents', intents, '--fill-model', fillModel, '--seed', '3', '--latency', 'binance=5,okx=5');
    const market = await loadRecordedMarket([...BINANCE, ...OKX]);
    expect(result.fills.some((fill) => fill.liquidity === 'TAKER')).toBe(true);
    expect(result.fills.some((fill) => fill.liquidity === 'MAKER')).toBe(true);
    expect(checkAgainstRecordedBooks(result, market.events)).toEqual([]);
  });

  it('runs the example strategy MidReversion, which trades', async () => {
    const settings = join(dir, 'midReversion.json');
    await writeFile(settings, JSON.stringify({ instrument: 'BTC/USDT', clip: '0.01', thresholdBps: '1', smoothing: '0.3', maxPosition: '0.05', cooldownMs: 500 }));
    const result = await json('--strategy', 'mid-reversion', '--settings', settings);
    expect(result.counts.intents).toBeGreaterThan(2);
    expect(result.counts.fills).toBeGreaterThan(2);
    const net = result.fills.reduce((sum, fill) => (fill.side === 'BUY' ? sum.plus(fill.quantity) : sum.minus(fill.quantity)), new Decimal(0));
    expect(result.final.positions.find((position) => position.instrument === 'BTC/USDT')?.quantity).toBe(net.toFixed());
    expect(net.abs().lte('0.05')).toBe(true);
  });

  it('rests an order and cancels it through the pipeline', async () => {
    const settings = join(dir, 'restAndCancel.json');
    await writeFile(settings, JSON.stringify({ instrument: 'BTC/USDT', cancelAfterMs: 2_000 }));
    const result = await json('--strategy', join(import.meta.dirname, '../../../test/backtest/restAndCancelStrategy.ts'), '--settings', settings);
    expect(result.counts).toMatchObject({ intents: 1, orders: 1, fills: 0, canceled: 1, rejects: 0 });
  });

  it('keeps every run in the runs folder, which the gateway lists newest first and serves as run, JSON report and page', async () => {
    const runs = join(dir, 'saved');
    const page = join(dir, 'out.html');
    const first = await json('--intents', intents, '--fill-model', 'probabilistic', '--seed', '1', '--runs-dir', runs);
    const second = await json('--intents', intents, '--fill-model', 'probabilistic', '--seed', '2', '--runs-dir', runs, '--report', page);

    const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('backtest-test', { level: 'silent' }));
    const served = apiRoutes({ state: new LiveState(), messages, idempotency: new IdempotencyKeys(), now: Date.now, backtests: runs });
    const get = (path: string, id?: string) =>
      served.find((route) => route.method === 'GET' && route.path === path)!.handle({ principal: { name: 'viewer', role: 'read' }, params: id === undefined ? {} : { id }, query: new URLSearchParams(), body: async () => ({}), idempotencyKey: undefined });
    const listed = (await get('/backtests')).body.runs as SavedBacktestRun[];
    // Ids sort by time and say what ran: the newer run first.
    expect(listed.map((run) => run.id)).toEqual([expect.stringMatching(/^\d{8}T\d{9}Z-intents-intents-seed2$/), expect.stringMatching(/^\d{8}T\d{9}Z-intents-intents-seed1$/)]);
    for (const [run, result] of [[listed[0]!, second], [listed[1]!, first]] as const) {
      expect(run).toMatchObject({ data: [...BINANCE, ...OKX], intents, strategy: null, fillModel: 'probabilistic', portfolio: 'backtest' });
      expect(run.summary).toMatchObject({ bookEvents: result.speed.bookEvents, fills: result.counts.fills, orders: result.counts.orders, pnl: result.final.pnl });
      const fees = result.fills.reduce((sum, fill) => sum.plus(fill.fee), new Decimal(0));
      expect(Object.values(run.summary.fees).reduce((sum, fee) => sum.plus(fee), new Decimal(0)).toFixed()).toBe(fees.toFixed());
      // The JSON report is what --json printed, the same run.
      expect((await get('/backtests/{id}', run.id)).body).toEqual({ run, report: result });
    }
    const html = (await get('/backtests/{id}/report.html', listed[0]!.id)).page!;
    expect(html.text).toBe(await readFile(page, 'utf8'));
    expect(await readFile(join(runs, listed[0]!.id, RUN_FILES.page), 'utf8')).toBe(html.text);
  });

  it('refuses a bad intent line, naming it', async () => {
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, `${JSON.stringify(INTENTS[0])}\n{"at": 10, "instrument": "NKN/USDT", "side": "buy", "amount": "1"}\n`);
    await expect(backtest('--data', BINANCE.join(','), '--intents', bad)).rejects.toThrow(`${bad}:2: side must be BUY or SELL, got "buy"`);
    await expect(backtest('--data', BINANCE.join(','), '--intents', intents)).rejects.toThrow(`${intents}:3: the data has no book of BTC/USDT`);
    await expect(backtest('--data', BINANCE.join(','), '--intents', bad, '--latency', 'kraken=5')).rejects.toThrow('--latency kraken=5: venue kraken is not in the data (binance)');
  });
});

/**
 * Replays the recorded books beside the fills, in time order (a fill at t executes after every
 * book recorded at t), and lists each fill better than the book then allowed: a taker buy below
 * the best ask or at a price with no ask level, or more at a price than was recorded there less
 * what earlier taker fills took since the level last changed; mirrored for sells; a resting
 * (maker) fill at another price than its order's limit.
 */
function checkAgainstRecordedBooks(result: BacktestResult, events: readonly RecordedEvent[]): string[] {
  const books = new Map<string, { bids: ReadonlyArray<readonly [string, string]>; asks: ReadonlyArray<readonly [string, string]> }>();
  const taken = new Map<string, { recorded: string; taken: Decimal }>();
  const problems: string[] = [];
  let next = 0;
  for (const fill of result.fills) {
    for (; next < events.length && events[next]!.atMs <= fill.atMs; next++) {
      const event = events[next]!;
      if (event.kind !== 'book') continue;
      books.set(`${event.venue} ${event.instrument}`, event);
      for (const [key, entry] of taken) {
        const [venue, instrument, side, price] = key.split(' ');
        if (`${venue} ${instrument}` !== `${event.venue} ${event.instrument}`) continue;
        const level = event[side as 'bids' | 'asks'].find(([levelPrice]) => levelPrice === price);
        if (level?.[1] !== entry.recorded) taken.delete(key);
      }
    }
    const what = `${fill.venue} ${fill.side} ${fill.quantity}@${fill.price} at ${fill.atMs}`;
    if (fill.liquidity === 'MAKER') {
      if (!new Decimal(fill.price).eq(fill.limitPrice!)) problems.push(`${what}: a resting fill away from its limit ${fill.limitPrice}`);
      continue;
    }
    const book = books.get(`${fill.venue} ${fill.instrument}`)!;
    const side = fill.side === 'BUY' ? 'asks' : 'bids';
    const best = new Decimal(book[side][0]![0]);
    if (fill.side === 'BUY' ? new Decimal(fill.price).lt(best) : new Decimal(fill.price).gt(best)) problems.push(`${what}: better than the best ${side} ${best.toFixed()}`);
    const level = book[side].find(([price]) => new Decimal(price).eq(fill.price));
    if (!level) {
      problems.push(`${what}: no recorded level at that price`);
      continue;
    }
    const key = `${fill.venue} ${fill.instrument} ${side} ${level[0]}`;
    const entry = taken.get(key) ?? { recorded: level[1], taken: new Decimal(0) };
    entry.taken = entry.taken.plus(fill.quantity);
    taken.set(key, entry);
    if (entry.taken.gt(level[1])) problems.push(`${what}: ${entry.taken.toFixed()} taken at a level of ${level[1]}`);
  }
  return problems;
}

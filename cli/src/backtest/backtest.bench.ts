import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { midReversion } from '@crossvenue/processors';
import { createLogger, seededRandom } from '@crossvenue/runtime';
import { Decimal } from '@crossvenue/schemas';
import { runBacktest, backtestRiskLimits } from './BacktestRun.ts';
import { loadRecordedMarket } from './RecordedMarket.ts';

/**
 * The backtest's speed (issue #21: at least 100,000 book events a second): a synthetic Binance
 * spot recording (crossvenue-md/1, one REST snapshot then depth diffs of 1 to 3 levels, a
 * random walk around 30,000 at 100 ms apart) replayed through the whole pipeline with the example
 * strategy trading it, beside the reference measured in the same run: reading the same file and
 * rebuilding its books with the venue's book synchronizer (loadRecordedMarket, which the run
 * does once before replaying), what any replay of the file costs at least. Printed, not asserted.
 *
 * Profile (node --cpu-prof, 200,000 events, before this benchmark's changes): see the README's
 * "Speed" paragraph.
 *
 * Second round (issue #21), profiled with the inspector around the replay alone, 50,000 events;
 * shares of the replay's time before → after:
 * - each consumer group decoding the same book again (router, execution marks, strategy): Avro
 *   decode 24 % → 13 %, the contract check (encode and decode) 14 % → 9 %. Now one decode per
 *   record serves every group (runtime SharedDecodes), the value frozen since it is shared
 *   (deepFreeze 7 %), and kept only until every group reading the topic has taken it: a window of
 *   recent decodes kept values alive past the young generation and tripled the collector's time.
 * - the execution worker marking each book once per partition it holds (six): midPrice 6 % → 1 %,
 *   the worker computes one mid per book and marks every partition with it (ExecutionWorker).
 * - the router's order check: compareDecimalStrings 4 % → 1 % (no destructured pairs).
 * - the partitioner built its partition list for every record: 4 % → 3 %; the local codec's three
 *   buffers a record (header, body, concatenation) are one copy out of a reused buffer.
 * - the report's mark on every book (a Decimal mid): now made when a sample needs it.
 * - reading (the reference): LocalBook.top copied every level into every event, and the replay keeps
 *   every event: most of reading and of the collector's time. Levels are now shared between events
 *   until they change.
 * Left (after): the pipeline's own work per book spread thin: the execution worker's handlers
 * 13 % (processors/src/execution: its marks per partition and their drawdown checks), encoding a
 * book 13 % (its contract check half of it), decoding 13 % and freezing 7 %, the router 8 %, the
 * strategy 6 %, the bus' delivery and promise chain per group, the run loop 11 % (settling, the
 * strategy's tick), GC 4 %.
 *
 * Measured on this machine (2 cores, shared with other work: load 5 to 15 during these runs, so
 * CPU seconds are given beside wall seconds), 200,000 events, 3,841 intents and 3,848 fills in
 * both trees, run back to back:
 *   before: reference 17,815/s (11.2 s, 12.3 s CPU); backtest 6,351/s (31.5 s, 36.8 s CPU)
 *   after:  reference 24,980/s (8.0 s, 6.2 s CPU);   backtest 6,999/s (28.6 s, 21.9 s CPU)
 * and at 50,000 events, quieter: backtest 7,153 → 11,208/s (6.7 → 4.4 s CPU), reference 22,233 →
 * 26,311/s. The aim (100,000/s) is not met; see the list above for where the time goes.
 */
const EVENTS = Number(process.env.BENCH_BOOK_EVENTS ?? 200_000);
const SYMBOL = 'BTCUSDT';
const LEVELS = 20;

/** The recording's lines: header, snapshot, then `events` diffs; prices in cents, quantities in 0.001. */
function syntheticRecording(events: number): string {
  const next = seededRandom(21);
  const startMs = Date.UTC(2026, 0, 5);
  let midCents = 3_000_000;
  const quantity = () => `${(1 + Math.floor(next() * 5_000)) / 1_000}`;
  const price = (cents: number) => (cents / 100).toFixed(2);
  const side = (from: number, step: number) => Array.from({ length: LEVELS }, (_, i) => [price(from + step * i), quantity()]);
  const lines = [
    JSON.stringify({ format: 'crossvenue-md/1', venue: 'synthetic', dialect: 'binance', symbols: [SYMBOL], startedAtMs: startMs }),
    JSON.stringify({ kind: 'rest', url: `http://127.0.0.1:1/api/v3/depth?symbol=${SYMBOL}&limit=1000`, receivedAtMs: startMs, payload: { lastUpdateId: 1_000, bids: side(midCents - 1, -1), asks: side(midCents + 1, 1) } }),
  ];
  for (let i = 0; i < events; i++) {
    midCents += Math.floor(next() * 3) - 1;
    // A few levels near the touch change size; the level at the mid is emptied on both sides, so a
    // mid that moves a cent never leaves the book crossed.
    const bids = [[price(midCents), '0'], ...Array.from({ length: 1 + Math.floor(next() * 2) }, () => [price(midCents - 1 - Math.floor(next() * LEVELS)), quantity()])];
    const asks = [[price(midCents), '0'], ...Array.from({ length: 1 + Math.floor(next() * 2) }, () => [price(midCents + 1 + Math.floor(next() * LEVELS)), quantity()])];
    const payload = { stream: `${SYMBOL.toLowerCase()}@depth@100ms`, data: { e: 'depthUpdate', E: startMs + 100 * (i + 1), s: SYMBOL, U: 1_001 + i, u: 1_001 + i, b: bids, a: asks } };
    lines.push(JSON.stringify({ kind: 'ws', url: `ws://127.0.0.1:1/stream?streams=${SYMBOL.toLowerCase()}@depth@100ms`, receivedAtMs: startMs + 100 * (i + 1), payload }));
  }
  return `${lines.join('\n')}\n`;
}

const folder = await mkdtemp(join(tmpdir(), 'backtest-bench-'));
try {
  const file = join(folder, 'synthetic.md.jsonl');
  await writeFile(file, syntheticRecording(EVENTS));

  const loading = performance.now();
  const market = await loadRecordedMarket([file]);
  const loadSeconds = (performance.now() - loading) / 1_000;
  const books = market.bookEvents;
  const instrument = market.instruments[0]!.instrument;
  const settings = { instrument, clip: '0.01', thresholdBps: '0.001', smoothing: '0.3', maxPosition: '0.05', cooldownMs: 5_000 };
  const result = await runBacktest({
    market,
    strategy: { name: 'bench-reversion', strategy: midReversion(settings), settings },
    portfolio: 'bench',
    seed: 1,
    fillModel: 'book',
    touchProbability: 0.1,
    venueSettings: () => ({ latency: { insertMs: 20, cancelMs: 20 }, fees: { maker: new Decimal('0.001'), taker: new Decimal('0.001') } }),
    limits: backtestRiskLimits(),
    logger: createLogger('backtest-bench', { level: 'silent' }),
  });
  const { bookEvents, wallSeconds, eventsPerSecond, timesRealTime } = result.speed;
  const rows = [
    { path: 'read + book synchronizer (reference)', events: books, seconds: loadSeconds.toFixed(3), perSecond: Math.round(books / loadSeconds) },
    { path: 'backtest: whole pipeline + strategy', events: bookEvents, seconds: wallSeconds.toFixed(3), perSecond: Math.round(eventsPerSecond) },
  ];
  console.table(rows);
  console.log(`backtest: ${result.counts.intents} intents, ${result.counts.fills} fills; ${Math.round(timesRealTime)}× real time; ${((eventsPerSecond / (books / loadSeconds)) * 100).toFixed(1)} % of the reference; aim ≥ 100,000 events/s`);
} finally {
  await rm(folder, { recursive: true, force: true });
}

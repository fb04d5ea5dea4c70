import { Decimal } from '@crossvenue/schemas';
import { DEFAULT_MARKETS } from '../markets.ts';
import { MatchingEngine } from './MatchingEngine.ts';
import { SeededRandom } from './SeededRandom.ts';
import type { OrderRequest } from './types.ts';

/**
 * The matching engine's throughput on one core: orders handled per second and book updates
 * (engine book events, one per operation that changed the book) per second, for three flows.
 * Run with `npm run bench` (connectors' bench script). Prints figures; asserts nothing.
 *
 * Profiled for issue #22 (`node --cpu-prof --import tsx` on this file, 50,000 orders a flow; self
 * time under run() plus garbage collection). Figures are from a shared two-core machine whose
 * load moved them by up to 2x between runs; the best of several runs is given.
 *
 * Before, Decimal on every step: decimal.js 38% (the Decimal constructor 10%, minus 9.5%, finalise
 * 4%, times 3%, cmp 3%, plus 2.5%), GC 27%, MatchingEngine 17%, OrderRegistry 5%. The open quantity
 * (quantity - executed) was recomputed at each look, the filters took two Decimal mods an order,
 * levels were found by Decimal compares, book changes were keyed by toFixed() strings, and every
 * order lived in a Map that kept growing. 84k / 68k / 98k orders/s.
 *
 * After: prices and quantities are integer units of the market (MarketUnits) for the filters,
 * the level search, the matching loop and the book-change keys; Decimals are made where the API
 * and the events carry them. GC 34%, decimal.js 15% (Decimal 4%, plus 4.5%, minus 4.4%, times 3%),
 * accept 7.5%, EngineEvents.flush 3.6%, checkFilters 3.6%, fill 2.7%, OrderBook.add 2.5%,
 * Balances.lock 2.4%, isOpen 2.2%. 234k / 156k / 197k orders/s.
 *
 * Why no flow reaches 300,000 orders/s: what is left is what the engine's contract asks for.
 * Each order locks its funds in Balances' Decimals (quantity x price, free -, locked +), and each
 * trade settles both sides in Decimal (12 to 20 operations: quote, commissions, locked, credits)
 * and carries Decimals in its trade, executions and order snapshots. And the engine keeps every
 * order and execution for the history queries, so the young-generation collector copies all of it
 * once or twice: GC is a third of the time, and dropping only the executions' history made the
 * crossing flow 12% faster in an experiment.
 */
const ORDERS = Number(process.env.BENCH_ORDERS ?? 50_000);
const btc = DEFAULT_MARKETS[0]!.rules;

function freshEngine(): { engine: MatchingEngine; bookUpdates: () => number } {
  let clock = 0;
  const engine = new MatchingEngine({ markets: [btc], fees: { maker: new Decimal('0.001'), taker: new Decimal('0.001') }, clock: () => clock++ });
  for (const account of ['a', 'b', 'c', 'd']) {
    engine.balances.credit(account, 'USDT', new Decimal('1e12'));
    engine.balances.credit(account, 'BTC', new Decimal('1e8'));
  }
  let updates = 0;
  engine.onEvents((events) => {
    for (const event of events) if (event.kind === 'book') updates++;
  });
  return { engine, bookUpdates: () => updates };
}

/** Limit orders within ±`spread` ticks of 64000 from four accounts; `cancelEvery` cancels the oldest too. */
function flow(seed: number, spreadTicks: number, crossing: boolean): OrderRequest[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: ORDERS }, () => {
    const side = random.next() < 0.5 ? 'BUY' : 'SELL';
    const offset = random.int(crossing ? -spreadTicks : 1, spreadTicks);
    const ticks = side === 'BUY' ? -offset : offset;
    return {
      account: ['a', 'b', 'c', 'd'][random.int(0, 3)]!,
      symbol: btc.symbol,
      side,
      type: 'LIMIT',
      quantity: new Decimal(random.int(1, 100)).times('0.001'),
      price: new Decimal('64000').plus(btc.tickSize.times(ticks)),
    };
  });
}

interface Row {
  scenario: string;
  operations: number;
  seconds: number;
  bookUpdates: number;
  trades: number;
}

function run(scenario: string, requests: OrderRequest[], cancelOldest: boolean): Row {
  const { engine, bookUpdates } = freshEngine();
  let trades = 0;
  engine.onEvents((events) => (trades += events.filter((e) => e.kind === 'trade').length));
  const resting: Array<{ account: string; orderId: number }> = [];
  let operations = 0;
  const started = process.hrtime.bigint();
  for (const request of requests) {
    const order = engine.place(request);
    operations++;
    if (order.status === 'NEW' || order.status === 'PARTIALLY_FILLED') resting.push({ account: order.account, orderId: order.orderId });
    if (cancelOldest && resting.length > 1_000) {
      const oldest = resting.shift()!;
      const current = engine.order(oldest.account, btc.symbol, { orderId: oldest.orderId });
      if (current.status === 'NEW' || current.status === 'PARTIALLY_FILLED') {
        engine.cancel(oldest.account, btc.symbol, { orderId: oldest.orderId });
        operations++;
      }
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { scenario, operations, seconds, bookUpdates: bookUpdates(), trades };
}

const rows = [
  run('resting limits (no match)', flow(1, 200, false), false),
  run('crossing limits (matching)', flow(2, 20, true), false),
  run('crossing + cancel oldest', flow(3, 20, true), true),
];

const format = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`matching engine, one core, ${format(ORDERS)} orders per scenario (integer units on the hot path, Decimal at the edges)\n`);
const header = ['scenario', 'ops', 'trades', 'ops/s', 'book updates/s'];
const table = rows.map((r) => [r.scenario, format(r.operations), format(r.trades), format(r.operations / r.seconds), format(r.bookUpdates / r.seconds)]);
const widths = header.map((_, i) => Math.max(...[header, ...table].map((row) => row[i]!.length)));
for (const row of [header, ...table]) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));

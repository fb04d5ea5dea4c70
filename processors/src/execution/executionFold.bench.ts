/**
 * Execution fold benchmark: what a restarted execution worker spends on state, in process. N
 * intents, each read with its route decision (which carries it), its leg's FILLED event and its fill (3 records), folded
 * by PortfolioExecution as a replay does, timed per slice of 10 % so that a cost growing with the
 * intents already read shows as later slices slower than earlier ones. Prints, never asserts.
 * Run: npx tsx processors/src/execution/executionFold.bench.ts. BENCH_FOLD_INTENTS (default 100,000).
 */
import { createLogger } from '@crossvenue/runtime';
import type { RouteDecision } from '@crossvenue/schemas';
import { intentMessage } from '../intents/intentFixtures.ts';
import { RiskEngine } from '../risk/RiskEngine.ts';
import { parseRiskLimits } from '../risk/RiskLimits.ts';
import { fill, orderEvent } from '../risk/riskFixtures.ts';
import { PortfolioExecution } from './PortfolioExecution.ts';
import { routeDecisionId } from './routeDecisionId.ts';

const INTENTS = Number(process.env.BENCH_FOLD_INTENTS ?? 100_000);
const SLICE = Math.max(1, Math.floor(INTENTS / 10));
const clock = () => 0;
let ids = 0;
const execution = new PortfolioExecution({
  risk: new RiskEngine(parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: {} }), clock),
  logger: createLogger('execution-fold-bench', { level: 'silent' }),
  clock,
  newId: () => `id-${(ids += 1)}`,
});

function foldOne(i: number): void {
  const intent = intentMessage(`fold-${i}`, { amount: '0.01', limitPrice: '101' }, { eventId: `fold-${i}:place` });
  const decision: RouteDecision = {
    eventId: routeDecisionId(intent.eventId), intentId: intent.intentId, portfolio: intent.portfolio, instrument: intent.instrument, side: 'BUY', quantity: '0.01',
    candidates: [], legs: [{ leg: 0, venue: 'binance', account: 'main', quantity: '0.01', limitPrice: '100', expectedAveragePrice: '100', expectedFee: '0' }],
    totalExpectedCost: '1', costCurrency: 'USDT', arrivalMid: '100', decidedAtMs: 0, intent, conversion: null,
  };
  for (const command of execution.routeDecision(decision).commands) {
    const { venue, account, portfolio, clientOrderId, intentId, instrument, side } = command;
    execution.orderEvent(orderEvent(command, { event: 'FILLED', state: 'FILLED', filledQuantity: '0.01', remainingQuantity: '0' }));
    execution.fill(fill({ venue, account, portfolio, clientOrderId, intentId, instrument, side, quantity: '0.01', venueTradeId: `t-${clientOrderId}` }));
  }
}

console.log(`execution fold benchmark (${new Date().toISOString()}): ${INTENTS} intents, 3 records each`);
console.log(`${'intents read'.padEnd(24)} ${'µs per intent'.padStart(14)} ${'records/s'.padStart(12)}`);
const started = process.hrtime.bigint();
for (let from = 0; from < INTENTS; from += SLICE) {
  const sliceStarted = process.hrtime.bigint();
  for (let i = from; i < Math.min(INTENTS, from + SLICE); i++) foldOne(i);
  const seconds = Number(process.hrtime.bigint() - sliceStarted) / 1e9;
  const count = Math.min(SLICE, INTENTS - from);
  console.log(`${`${from + 1}–${from + count}`.padEnd(24)} ${((seconds * 1e6) / count).toFixed(1).padStart(14)} ${Math.round((count * 3) / seconds).toLocaleString('en-US').padStart(12)}`);
}
const total = Number(process.hrtime.bigint() - started) / 1e9;
console.log(`all ${INTENTS} intents folded in ${total.toFixed(2)} s (${Math.round((INTENTS * 3) / total).toLocaleString('en-US')} records/s)`);

import { createLogger } from '@crossvenue/runtime';
import type { RouteDecision } from '@crossvenue/schemas';
import { PortfolioExecution } from '../src/execution/PortfolioExecution.ts';
import { routeDecisionId } from '../src/execution/routeDecisionId.ts';
import { intentMessage } from '../src/intents/intentFixtures.ts';
import { RiskEngine } from '../src/risk/RiskEngine.ts';
import { parseRiskLimits } from '../src/risk/RiskLimits.ts';
import { orderEvent } from '../src/risk/riskFixtures.ts';
const close = process.env.CLOSE === '1';
const risk = new RiskEngine(parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: {} }), Date.now);
let n = 0;
const ex = new PortfolioExecution({ risk, logger: createLogger('x', { level: 'silent' }), clock: Date.now, newId: () => `id-${n++}` });
const N = Number(process.env.N ?? 3000);
let t = performance.now();
for (let i = 0; i < N; i++) {
  const intent = intentMessage(`i${i}`, { amount: '0.01', limitPrice: '101' }, { eventId: `i${i}:place` });
  ex.intent(intent);
  const d: RouteDecision = { eventId: routeDecisionId(intent.eventId), intentId: intent.intentId, portfolio: intent.portfolio, instrument: intent.instrument, side: 'BUY', quantity: '0', candidates: [], legs: [{ leg: 0, venue: 'binance', account: 'main', quantity: '0.01', limitPrice: '100', expectedAveragePrice: '100', expectedFee: '0' }], totalExpectedCost: '0', costCurrency: 'USDT', arrivalMid: '100', decidedAtMs: Date.now() };
  const out = ex.routeDecision(d);
  if (close) for (const c of out.commands) ex.orderEvent(orderEvent(c, { event: 'FILLED', state: 'FILLED', filledQuantity: '0.01', remainingQuantity: '0' }));
  if ((i + 1) % 1000 === 0) { const now = performance.now(); console.log(`${i + 1}: ${((now - t) / 1000).toFixed(3)} ms per intent`); t = now; }
}

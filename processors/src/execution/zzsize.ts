import { serialize } from 'node:v8';
import { createLogger } from '@crossvenue/runtime';
import type { RouteDecision } from '@crossvenue/schemas';
import { intentMessage } from '../intents/intentFixtures.ts';
import { RiskEngine } from '../risk/RiskEngine.ts';
import { parseRiskLimits } from '../risk/RiskLimits.ts';
import { fill, orderEvent } from '../risk/riskFixtures.ts';
import { PortfolioExecution } from './PortfolioExecution.ts';
import { routeDecisionId } from './routeDecisionId.ts';
import { captureState } from './stateSnapshot.ts';
const clock = () => 0; let ids = 0;
const risk = new RiskEngine(parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: {} }), clock);
const execution = new PortfolioExecution({ risk, logger: createLogger('x', { level: 'silent' }), clock, newId: () => `id-${(ids += 1)}` });
for (let i = 0; i < 10000; i++) {
  const intent = intentMessage(`fold-${i}`, { amount: '0.01', limitPrice: '101' }, { eventId: `fold-${i}:place` });
  const decision: RouteDecision = { eventId: routeDecisionId(intent.eventId), intentId: intent.intentId, portfolio: intent.portfolio, instrument: intent.instrument, side: 'BUY', quantity: '0.01',
    candidates: [], legs: [{ leg: 0, venue: 'binance', account: 'main', quantity: '0.01', limitPrice: '100', expectedAveragePrice: '100', expectedFee: '0' }],
    totalExpectedCost: '1', costCurrency: 'USDT', arrivalMid: '100', decidedAtMs: 0, intent };
  for (const command of execution.routeDecision(decision).commands) {
    const { venue, account, portfolio, clientOrderId, intentId, instrument, side } = command;
    execution.orderEvent(orderEvent(command, { event: 'FILLED', state: 'FILLED', filledQuantity: '0.01', remainingQuantity: '0' }));
    execution.fill(fill({ venue, account, portfolio, clientOrderId, intentId, instrument, side, quantity: '0.01', venueTradeId: `t-${clientOrderId}` }));
  }
}
let t = Date.now(); const all = captureState([execution, risk]); console.log('all', all.length, Date.now() - t, 'ms');
for (const [name, value] of [...Object.entries(execution), ...Object.entries(risk).map(([k, v]) => ['risk.' + k, v])]) {
  if (typeof value !== 'object' || value === null || name === 'options' || name === 'logger') continue;
  try { t = Date.now(); const b = captureState([{ v: value }]); console.log(name.padEnd(24), String(serialize(b).length).padStart(9), Date.now() - t, 'ms'); } catch (e) { console.log(name, 'err', (e as Error).message); }
}

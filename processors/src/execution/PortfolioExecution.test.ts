import { clientOrderId, createLogger, parseIntentId, type Intent, type OrderCommand, type RouteDecision } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { intentMessage } from '../intents/intentFixtures.ts';
import { RiskEngine } from '../risk/RiskEngine.ts';
import { parseRiskLimits } from '../risk/RiskLimits.ts';
import { globalKillSwitch } from './executionFixtures.ts';
import { PortfolioExecution } from './PortfolioExecution.ts';
import { routeDecisionId } from './routeDecisionId.ts';

function desk(): PortfolioExecution {
  let id = 0;
  const risk = new RiskEngine(parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: {} }), () => 0);
  return new PortfolioExecution({ risk, logger: createLogger('test', { level: 'silent' }), clock: () => 0, newId: () => `id-${(id += 1)}` });
}

/** A route decision for `intent` with one leg per [venue, quantity], at 100. */
function decisionFor(intent: Intent, legs: Array<[string, string]>): RouteDecision {
  return {
    eventId: routeDecisionId(intent.eventId),
    intentId: intent.intentId,
    portfolio: intent.portfolio,
    instrument: intent.instrument,
    side: 'BUY',
    quantity: '0',
    candidates: [],
    legs: legs.map(([venue, quantity], leg) => ({ leg, venue, account: 'main', quantity, limitPrice: '100', expectedAveragePrice: '100', expectedFee: '0' })),
    totalExpectedCost: '0',
    costCurrency: 'USDT',
    arrivalMid: '100',
    decidedAtMs: 0,
  };
}

const placed = (intent: Intent, amount: string) => intentMessage(intent.intentId, { amount }, { eventId: `${intent.intentId}:modify`, action: 'MODIFY' });
/** Each command as "TYPE intent:leg:attempt quantity", checking its client order id is the one derived from them. */
const summary = (output: { commands: OrderCommand[] }) =>
  output.commands.map(({ type, intentId, leg, attempt, clientOrderId: id, quantity }) => {
    expect(id).toBe(clientOrderId(parseIntentId(intentId), leg, attempt));
    return `${type} ${intentId}:${leg}:${attempt} ${quantity}`;
  });

describe('PortfolioExecution', () => {
  it('holds a route decision read before its intent and places it when the intent arrives', () => {
    const execution = desk();
    const intent = intentMessage('i1', { amount: '2' });
    expect(summary(execution.routeDecision(decisionFor(intent, [['binance', '2']])))).toEqual([]);
    expect(summary(execution.intent(intent))).toEqual(['PLACE i1:0:0 2']);
  });

  it('never places more than the intent may still fill', () => {
    const execution = desk();
    const intent = intentMessage('i2', { amount: '1' });
    execution.intent(intent);
    expect(summary(execution.routeDecision(decisionFor(intent, [['binance', '0.75'], ['okx', '0.5'], ['kraken', '0.25']])))).toEqual(['PLACE i2:0:0 0.75', 'PLACE i2:2:0 0.25']);
  });

  it('drops a plan for terms a MODIFY replaced, cancels the old legs and numbers new legs on', () => {
    const execution = desk();
    const intent = intentMessage('i3', { amount: '1', timeInForce: 'GTC', limitPrice: '100' });
    execution.intent(intent);
    execution.routeDecision(decisionFor(intent, [['binance', '1']]));
    const modified = placed(intent, '3');
    expect(summary(execution.intent(modified))).toEqual(['CANCEL i3:0:0 1']);
    expect(summary(execution.routeDecision(decisionFor(intent, [['okx', '1']])))).toEqual([]);
    // The canceled leg may still fill until the venue confirms: 3 - 1 = 2 may be placed now.
    expect(summary(execution.routeDecision(decisionFor(modified, [['okx', '2']])))).toEqual(['PLACE i3:1:0 2']);
  });

  it('cancels a canceled intent\'s legs under a kill switch, and rejects new legs', () => {
    const execution = desk();
    const intent = intentMessage('i4', { amount: '1' });
    execution.intent(intent);
    execution.routeDecision(decisionFor(intent, [['binance', '1']]));
    execution.control(globalKillSwitch(true));
    const canceled = execution.intent({ ...intent, eventId: 'i4:cancel', action: 'CANCEL', order: null });
    expect(summary(canceled)).toEqual(['CANCEL i4:0:0 1']);
    expect(canceled.riskDecisions.map(({ decision }) => decision)).toEqual(['APPROVED']);

    const next = intentMessage('i5', { amount: '1' });
    execution.intent(next);
    const rejected = execution.routeDecision(decisionFor(next, [['binance', '1']]));
    expect(summary(rejected)).toEqual([]);
    expect(rejected.riskDecisions.map(({ decision, rule }) => `${decision} ${rule}`)).toEqual(['REJECTED kill_switch']);
  });
});

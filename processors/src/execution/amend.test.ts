import { type Intent, type OrderCommand } from '@crossvenue/schemas';
import { createLogger } from '@crossvenue/runtime';
import { describe, expect, it } from 'vitest';
import { intentMessage } from '../intents/intentFixtures.ts';
import { RiskEngine } from '../risk/RiskEngine.ts';
import { parseRiskLimits } from '../risk/RiskLimits.ts';
import { orderEvent } from '../risk/riskFixtures.ts';
import { decisionFor } from './executionFixtures.ts';
import { PortfolioExecution, type ExecutionOutput } from './PortfolioExecution.ts';

function desk(): PortfolioExecution {
  let id = 0;
  const risk = new RiskEngine(parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: {} }), () => 0);
  return new PortfolioExecution({ risk, logger: createLogger('test', { level: 'silent' }), clock: () => 0, newId: () => `id-${(id += 1)}`, replaying: false });
}

/** A GTC limit buy of `amount` at `limitPrice`. */
const limit = (amount: string, limitPrice: string, action: Intent['action'] = 'PLACE') =>
  intentMessage('a1', { amount, limitPrice, timeInForce: 'GTC' }, { eventId: `a1-${action}-${amount}-${limitPrice}`, action });
const sent = (output: ExecutionOutput) => output.commands.map(({ type, venue, quantity, limitPrice, newLimitPrice }) => `${type} ${venue} ${quantity}@${limitPrice}${newLimitPrice ? `→${newLimitPrice}` : ''}`);
const acknowledged = (execution: PortfolioExecution, legs: OrderCommand[]) => legs.forEach((leg) => execution.orderEvent(orderEvent(leg, { event: 'ACCEPTED', previousState: 'PENDING_NEW', state: 'NEW' })));

describe('PortfolioExecution amending resting legs on a MODIFY of the price', () => {
  it('amends each resting leg to the new price instead of cancelling it; a refused amend is cancelled and its quantity routed again', () => {
    const execution = desk();
    const legs = execution.routeDecision(decisionFor(limit('1', '100'), [['binance', '0.6'], ['okx', '0.4']])).commands;
    acknowledged(execution, legs);
    // The router's plan for the new terms places nothing: the amended legs cover the amount.
    const modified = execution.routeDecision(decisionFor(limit('1', '101', 'MODIFY'), [['binance', '1']]));
    expect(sent(modified)).toEqual(['AMEND binance 0.6@100→101', 'AMEND okx 0.4@100→101']);
    expect(modified.commands.map(({ clientOrderId }) => clientOrderId)).toEqual(legs.map(({ clientOrderId }) => clientOrderId));

    const accepted = execution.orderEvent(orderEvent(legs[0]!, { event: 'AMEND_ACCEPTED', previousState: 'PENDING_AMEND', state: 'NEW' }));
    expect(accepted.commands).toEqual([]);
    const refused = execution.orderEvent(orderEvent(legs[1]!, { event: 'AMEND_REJECTED', previousState: 'PENDING_AMEND', state: 'NEW' }));
    expect(sent(refused)).toEqual(['CANCEL okx 0.4@100']);
    const canceled = execution.orderEvent(orderEvent(legs[1]!, { event: 'CANCELED', previousState: 'PENDING_CANCEL', state: 'CANCELED' }));
    expect(canceled.intents.map(({ action, order }) => `${action} ${order?.amount}@${order?.limitPrice}`)).toEqual(['REROUTE 0.4@101']);
  });

  it('cancels and places again what it cannot amend: a new amount, or a leg the venue has not acknowledged', () => {
    for (const amount of ['0.5', '1.5']) {
      const resized = desk();
      acknowledged(resized, resized.routeDecision(decisionFor(limit('1', '100'), [['binance', '1']])).commands);
      expect(sent(resized.routeDecision(decisionFor(limit(amount, '101', 'MODIFY'), [['binance', amount]])))).toEqual(['CANCEL binance 1@100']);
    }

    const unacknowledged = desk();
    unacknowledged.routeDecision(decisionFor(limit('1', '100'), [['binance', '1']]));
    expect(sent(unacknowledged.routeDecision(decisionFor(limit('1', '101', 'MODIFY'), [['okx', '1']])))).toEqual(['CANCEL binance 1@100']);
  });
});

import { type Intent, type IntentStatus, type OrderCommand } from '@crossvenue/schemas';
import { createLogger } from '@crossvenue/runtime';
import { describe, expect, it } from 'vitest';
import { intentMessage } from '../intents/intentFixtures.ts';
import { RiskEngine } from '../risk/RiskEngine.ts';
import { parseRiskLimits } from '../risk/RiskLimits.ts';
import { fill, orderEvent } from '../risk/riskFixtures.ts';
import { decisionFor } from './executionFixtures.ts';
import { PortfolioExecution, type ExecutionOutput } from './PortfolioExecution.ts';

function desk(): PortfolioExecution {
  let id = 0;
  const risk = new RiskEngine(parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: {} }), () => 0);
  return new PortfolioExecution({ risk, logger: createLogger('test', { level: 'silent' }), clock: () => 0, newId: () => `id-${(id += 1)}`, replaying: false });
}

/** An iceberg buying 1 at `limitPrice`, showing 0.25 at a time. */
const iceberg = (limitPrice = '100', action: Intent['action'] = 'PLACE', eventId = `b-${action}-${limitPrice}`) =>
  intentMessage('b', { amount: '1', limitPrice, timeInForce: 'GTC', icebergQuantity: '0.25' }, { eventId, action });

/** The venue filled the leg whole. */
function filled(execution: PortfolioExecution, leg: OrderCommand): ExecutionOutput {
  const events = execution.orderEvent(orderEvent(leg, { event: 'FILLED', previousState: 'NEW', state: 'FILLED', filledQuantity: leg.quantity, remainingQuantity: '0' }));
  const trade = execution.fill(fill({ portfolio: leg.portfolio, intentId: leg.intentId, clientOrderId: leg.clientOrderId, side: leg.side, quantity: leg.quantity, price: leg.limitPrice! }));
  return { ...trade, intents: [...events.intents, ...trade.intents], statuses: [...events.statuses, ...trade.statuses] };
}

const slices = ({ intents }: ExecutionOutput) => intents.map(({ intentId, action, order }) => `${action} ${intentId}${order ? ` ${order.side} ${order.amount}@${order.limitPrice} ${order.timeInForce} ${order.icebergQuantity}` : ''}`);
const lastOf = (statuses: IntentStatus[]) => statuses.filter((status) => status.intentId === 'b').at(-1);
/** The legs the router's answer to a slice places: one on binance for the whole slice. */
const placeSlice = (execution: PortfolioExecution, slice: Intent) => execution.routeDecision(decisionFor(slice, [['binance', slice.order!.amount]])).commands;

describe('PortfolioExecution slicing an iceberg', () => {
  it('rests one GTC slice of the visible quantity at a time, the next once it filled, until the amount is done', () => {
    const execution = desk();
    const first = execution.routeDecision(decisionFor(iceberg(), [['binance', '1']]));
    expect(first.commands).toEqual([]);
    expect(slices(first)).toEqual(['PLACE b:i0 BUY 0.25@100 GTC null']);
    const legs = placeSlice(execution, first.intents[0]!);
    expect(legs.map(({ type, quantity, limitPrice, timeInForce }) => `${type} ${quantity}@${limitPrice} ${timeInForce}`)).toEqual(['PLACE 0.25@100 GTC']);
    let output = filled(execution, legs[0]!);
    expect(slices(output)).toEqual(['PLACE b:i1 BUY 0.25@100 GTC null']);
    expect(lastOf(output.statuses)).toMatchObject({ state: 'PARTIALLY_FILLED', requestedQuantity: '1', filledQuantity: '0.25', leavesQuantity: '0.75', averagePrice: '100' });
    for (const n of [1, 2, 3]) {
      output = filled(execution, placeSlice(execution, output.intents[0]!)[0]!);
      expect(slices(output)).toEqual(n < 3 ? [`PLACE b:i${n + 1} BUY 0.25@100 GTC null`] : []);
    }
    expect(lastOf(output.statuses)).toMatchObject({ state: 'DONE', filledQuantity: '1', leavesQuantity: '0' });
  });

  it('a MODIFY cancels the resting slice and the next rests at the new price; a CANCEL cancels it and ends CANCELED', () => {
    const execution = desk();
    const slice = execution.routeDecision(decisionFor(iceberg(), [])).intents[0]!;
    const leg = placeSlice(execution, slice)[0]!;
    execution.orderEvent(orderEvent(leg, { event: 'ACCEPTED', state: 'NEW' }));
    const modified = execution.routeDecision(decisionFor(iceberg('101', 'MODIFY'), []));
    expect(slices(modified)).toEqual(['CANCEL b:i0']);
    // The slice's CANCEL goes round the router; execution cancels its leg; the venue confirms.
    const cancel = execution.routeDecision(decisionFor(modified.intents[0]!, []));
    expect(cancel.commands.map(({ type, clientOrderId }) => `${type} ${clientOrderId}`)).toEqual([`CANCEL ${leg.clientOrderId}`]);
    const next = execution.orderEvent(orderEvent(leg, { event: 'CANCELED', previousState: 'NEW', state: 'CANCELED' }));
    expect(slices(next)).toEqual(['PLACE b:i1 BUY 0.25@101 GTC null']);

    const nextLeg = placeSlice(execution, next.intents[0]!)[0]!;
    const canceled = execution.routeDecision(decisionFor(iceberg('101', 'CANCEL', 'b-cancel'), []));
    expect(slices(canceled)).toEqual(['CANCEL b:i1']);
    execution.routeDecision(decisionFor(canceled.intents[0]!, []));
    const ended = execution.orderEvent(orderEvent(nextLeg, { event: 'CANCELED', previousState: 'NEW', state: 'CANCELED' }));
    expect(ended.intents).toEqual([]);
    expect(lastOf(ended.statuses)).toMatchObject({ state: 'CANCELED', filledQuantity: '0', leavesQuantity: '0' });
  });

  it('refuses an IOC iceberg on arrival, REJECTED with the rule', () => {
    const execution = desk();
    const ioc = intentMessage('c', { amount: '1', limitPrice: '100', timeInForce: 'IOC', icebergQuantity: '0.25' });
    expect(() => execution.routeDecision(decisionFor(ioc, []))).toThrow('intent c: order.timeInForce: an iceberg rests in slices');
    expect(execution.takePendingStatuses()).toMatchObject([{ intentId: 'c', state: 'REJECTED', rule: 'not_executed:order.timeInForce' }]);
  });
});

import { type Intent, type IntentStatus, type OrderCommand } from '@crossvenue/schemas';
import { createLogger } from '@crossvenue/runtime';
import { describe, expect, it } from 'vitest';
import { intentMessage } from '../intents/intentFixtures.ts';
import { RiskEngine } from '../risk/RiskEngine.ts';
import { parseRiskLimits } from '../risk/RiskLimits.ts';
import { fill, orderEvent } from '../risk/riskFixtures.ts';
import { decisionFor } from './executionFixtures.ts';
import { PortfolioExecution, type ExecutionOutput } from './PortfolioExecution.ts';

function desk(clock: () => number, replaying = false): PortfolioExecution {
  let id = 0;
  const risk = new RiskEngine(parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: {} }), clock);
  return new PortfolioExecution({ risk, logger: createLogger('test', { level: 'silent' }), clock, newId: () => `id-${(id += 1)}`, replaying });
}

/** A TWAP buying `amount` over 60 s in 6 slices, 10 s apart. */
const twap = (amount = '1.2', action: Intent['action'] = 'PLACE', eventId = `w-${action}-${amount}`) =>
  intentMessage('w', { amount, timeInForce: 'GTC' }, { eventId, action, algo: { type: 'TWAP', durationMs: 60_000, sliceIntervalMs: 10_000 } });

/** The venue filled the leg whole at 100. */
function filled(execution: PortfolioExecution, leg: OrderCommand): ExecutionOutput {
  const events = execution.orderEvent(orderEvent(leg, { event: 'FILLED', previousState: 'NEW', state: 'FILLED', filledQuantity: leg.quantity, remainingQuantity: '0' }));
  const trade = execution.fill(fill({ portfolio: leg.portfolio, intentId: leg.intentId, clientOrderId: leg.clientOrderId, side: leg.side, quantity: leg.quantity, price: '100' }));
  return { ...trade, intents: [...events.intents, ...trade.intents], statuses: [...events.statuses, ...trade.statuses] };
}

const slices = ({ intents }: ExecutionOutput) => intents.map(({ intentId, source, order }) => `${intentId} ${source} ${order?.side} ${order?.amount} ${order?.timeInForce}`);
const lastOf = (statuses: IntentStatus[]) => statuses.filter((status) => status.intentId === 'w').at(-1);

describe('PortfolioExecution running a TWAP', () => {
  it('sends a slice per step of its schedule, catches up what a slice left, and reports schedule, progress and deviation', () => {
    let now = 0;
    const execution = desk(() => now);
    const placed = execution.routeDecision(decisionFor(twap(), [['binance', '1.2']]));
    expect(placed.commands).toEqual([]);
    expect(slices(placed)).toEqual(['w:s0 EXECUTION BUY 0.2 IOC']);
    // The first slice fills on two venues.
    const legs = execution.routeDecision(decisionFor(placed.intents[0]!, [['binance', '0.15'], ['okx', '0.05']])).commands;
    filled(execution, legs[0]!);
    const first = filled(execution, legs[1]!);
    expect(lastOf(first.statuses)).toMatchObject({
      state: 'PARTIALLY_FILLED', requestedQuantity: '1.2', filledQuantity: '0.2', leavesQuantity: '1',
      algo: { type: 'TWAP', startedAtMs: 0, endsAtMs: 60_000, slices: 6, slicesSent: 1, scheduledQuantity: '0.2', deviation: '0' },
    });
    now = 9_999;
    expect(execution.expire().intents).toEqual([]);
    now = 10_000;
    const second = execution.expire();
    expect(slices(second)).toEqual(['w:s1 EXECUTION BUY 0.2 IOC']);
    // No venue takes it: the next step asks for both slices' worth.
    const refused = execution.routeDecision(decisionFor(second.intents[0]!, []));
    expect(lastOf(refused.statuses)).toMatchObject({ state: 'PARTIALLY_FILLED', filledQuantity: '0.2', algo: { slicesSent: 2, scheduledQuantity: '0.4', deviation: '-0.2' } });
    expect(execution.expire().intents).toEqual([]);
    now = 20_000;
    expect(slices(execution.expire())).toEqual(['w:s2 EXECUTION BUY 0.4 IOC']);
  });

  it('asks for the rest at the end, ends DONE, and is retired', () => {
    let now = 0;
    const execution = desk(() => now);
    const first = execution.routeDecision(decisionFor(twap('0.6'), [])).intents[0]!;
    expect(first.order?.amount).toBe('0.1');
    filled(execution, execution.routeDecision(decisionFor(first, [['binance', '0.1']])).commands[0]!);
    now = 70_000;
    const rest = execution.expire().intents[0]!;
    expect(rest.order?.amount).toBe('0.5');
    const done = filled(execution, execution.routeDecision(decisionFor(rest, [['binance', '0.5']])).commands[0]!);
    expect(lastOf(done.statuses)).toMatchObject({ state: 'DONE', filledQuantity: '0.6', leavesQuantity: '0', algo: { slicesSent: 2, scheduledQuantity: '0.6', deviation: '0' } });
    execution.retireEnded();
    expect(() => execution.routeDecision(decisionFor(twap('0.9', 'MODIFY'), []))).toThrow('intent w: MODIFY of an intent that is done');
  });

  it('takes a MODIFY of its amount from the next slice on, and stops at a CANCEL', () => {
    let now = 0;
    const execution = desk(() => now);
    const first = execution.routeDecision(decisionFor(twap('1.2'), [])).intents[0]!;
    filled(execution, execution.routeDecision(decisionFor(first, [['binance', '0.2']])).commands[0]!);
    execution.routeDecision(decisionFor(twap('2.4', 'MODIFY'), []));
    now = 10_000;
    // 2.4 over 6 slices: 0.8 by step 2, 0.2 filled.
    expect(slices(execution.expire())).toEqual(['w:s1 EXECUTION BUY 0.6 IOC']);
    const canceled = execution.routeDecision(decisionFor(twap('2.4', 'CANCEL', 'w-cancel'), []));
    expect(canceled.statuses).toEqual([]);
    // The slice asked before comes back with no venue: nothing works, it ends CANCELED, and asks nothing more.
    const ended = execution.routeDecision(decisionFor(intentMessage('w:s1', { amount: '0.6' }, { eventId: 'w:s1:place', source: 'EXECUTION' }), []));
    expect(lastOf(ended.statuses)).toMatchObject({ state: 'CANCELED', filledQuantity: '0.2' });
    now = 30_000;
    expect(execution.expire().intents).toEqual([]);
  });

  it('survives a restart from a snapshot: the schedule goes on from where it was', () => {
    let now = 0;
    const live = desk(() => now);
    const first = live.routeDecision(decisionFor(twap('1.2'), [])).intents[0]!;
    filled(live, live.routeDecision(decisionFor(first, [['binance', '0.2']])).commands[0]!);
    const restored = desk(() => now);
    restored.restore(live.snapshot());
    expect(restored.caughtUp().intents).toEqual([]);
    now = 30_000;
    expect(slices(restored.expire())).toEqual(['w:s1 EXECUTION BUY 0.6 IOC']);
  });
});

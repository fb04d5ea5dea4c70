import { type Intent, type IntentStatus, type OrderCommand } from '@crossvenue/schemas';
import { createLogger } from '@crossvenue/runtime';
import { describe, expect, it } from 'vitest';
import { intentMessage } from '../intents/intentFixtures.ts';
import { childIntentId } from '../intents/ChildIntents.ts';
import { TARGET_RETRY_MS } from '../intents/TargetPositions.ts';
import { RiskEngine } from '../risk/RiskEngine.ts';
import { parseRiskLimits } from '../risk/RiskLimits.ts';
import { fill, killSwitch, orderEvent } from '../risk/riskFixtures.ts';
import { decisionFor as routedDecision, excludedCandidate } from './executionFixtures.ts';
import { PortfolioExecution, type ExecutionOutput } from './PortfolioExecution.ts';

/** A desk's execution on a clock the test moves; `replaying` as a worker's run starts. */
function desk(clock: () => number, replaying = false): PortfolioExecution {
  let id = 0;
  const risk = new RiskEngine(parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: {} }), clock);
  return new PortfolioExecution({ risk, logger: createLogger('test', { level: 'silent' }), clock, newId: () => `id-${(id += 1)}`, replaying });
}

const target = (quantity: string, action: Intent['action'] = 'PLACE', eventId = `tp-${action}-${quantity}`) =>
  intentMessage('tp', {}, { eventId, action, kind: 'TARGET_POSITION', order: null, targetQuantity: action === 'CANCEL' ? null : quantity, source: 'STRATEGY' });

/** The router's answer to `intent`: one leg per [venue, quantity] at 100, or none (binance had no book). */
const decisionFor = (intent: Intent, legs: Array<[string, string]> = []) => routedDecision(intent, legs, legs.length === 0 ? [excludedCandidate('binance', 'no book')] : []);

/** The venue filled the leg whole at 100, with a fee of 0.01 USDT per 1. */
function filled(execution: PortfolioExecution, leg: OrderCommand): ExecutionOutput {
  const events = execution.orderEvent(orderEvent(leg, { event: 'FILLED', previousState: 'NEW', state: 'FILLED', filledQuantity: leg.quantity, remainingQuantity: '0' }));
  const trade = execution.fill(fill({ portfolio: leg.portfolio, intentId: leg.intentId, clientOrderId: leg.clientOrderId, side: leg.side, quantity: leg.quantity, price: '100', fee: '0.01' }));
  return { ...trade, intents: [...events.intents, ...trade.intents], statuses: [...events.statuses, ...trade.statuses] };
}

const statesOf = (statuses: IntentStatus[], intentId = 'tp') => statuses.filter((status) => status.intentId === intentId).map(({ state }) => state);
const lastOf = (statuses: IntentStatus[], intentId = 'tp') => statuses.filter((status) => status.intentId === intentId).at(-1);
const childTerms = ({ intents }: ExecutionOutput) => intents.map(({ intentId, action, kind, source, order }) => `${action} ${kind} ${source} ${intentId} ${order?.side} ${order?.amount} ${order?.limitPrice} ${order?.timeInForce}`);

describe('PortfolioExecution holding a TARGET_POSITION', () => {
  it('trades toward the target through a market child intent, reports DONE at the target, and trades again when a correction moves the position', () => {
    const now = 0;
    const execution = desk(() => now);
    const placed = execution.routeDecision(decisionFor(target('0.5')));
    expect(childTerms(placed)).toEqual(['PLACE ORDER EXECUTION tp:t0 BUY 0.5 null IOC']);
    expect(statesOf(placed.statuses)).toEqual(['WORKING']);

    // The router routes the child like any order: its legs are placed and checked by risk.
    const child = placed.intents[0]!;
    const legs = execution.routeDecision(decisionFor(child, [['binance', '0.3'], ['okx', '0.2']]));
    expect(legs.commands.map(({ type, intentId, venue, quantity }) => `${type} ${intentId} ${venue} ${quantity}`)).toEqual(['PLACE tp:t0 binance 0.3', 'PLACE tp:t0 okx 0.2']);
    // While the child works nothing more is asked, whatever the position says.
    const first = filled(execution, legs.commands[0]!);
    expect(first.intents).toEqual([]);
    expect(lastOf(first.statuses)).toMatchObject({ state: 'PARTIALLY_FILLED', filledQuantity: '0.3', leavesQuantity: '0.2' });
    const second = filled(execution, legs.commands[1]!);
    expect(second.intents).toEqual([]);
    expect(lastOf(second.statuses)).toMatchObject({ state: 'DONE', side: 'BUY', requestedQuantity: '0.5', filledQuantity: '0.5', leavesQuantity: '0', averagePrice: '100', fees: [{ currency: 'USDT', amount: '0.02' }] });

    // A reconciliation fill found on the venue (not ours) takes 0.2 away: the target trades it back.
    const correction = execution.fill(fill({ portfolio: 'p1', source: 'RECONCILIATION', side: 'SELL', quantity: '0.2', intentId: null }));
    expect(childTerms(correction)).toEqual(['PLACE ORDER EXECUTION tp:t1 BUY 0.2 null IOC']);
    expect(lastOf(correction.statuses)).toMatchObject({ state: 'PARTIALLY_FILLED', requestedQuantity: '0.7', filledQuantity: '0.5', leavesQuantity: '0.2' });
    const again = execution.routeDecision(decisionFor(correction.intents[0]!, [['binance', '0.2']]));
    expect(lastOf(filled(execution, again.commands[0]!).statuses)).toMatchObject({ state: 'DONE', filledQuantity: '0.7', leavesQuantity: '0' });
  });

  it('sells toward a lower target after a MODIFY, and stops asking once CANCELED', () => {
    const execution = desk(() => 0);
    const child = execution.routeDecision(decisionFor(target('1'))).intents[0]!;
    filled(execution, execution.routeDecision(decisionFor(child, [['binance', '1']])).commands[0]!);
    const lower = execution.routeDecision(decisionFor(target('-0.25', 'MODIFY')));
    expect(childTerms(lower)).toEqual(['PLACE ORDER EXECUTION tp:t1 SELL 1.25 null IOC']);
    const sold = filled(execution, execution.routeDecision(decisionFor(lower.intents[0]!, [['binance', '1.25']])).commands[0]!);
    expect(lastOf(sold.statuses)).toMatchObject({ state: 'DONE', side: 'SELL', filledQuantity: '2.25' });
    const canceled = execution.routeDecision(decisionFor(target('', 'CANCEL')));
    expect(statesOf(canceled.statuses)).toEqual(['CANCELED']);
    // A fill moving the position no longer asks for anything.
    expect(execution.fill(fill({ portfolio: 'p1', side: 'BUY', quantity: '3', intentId: null })).intents).toEqual([]);
    execution.retireEnded();
    expect(() => execution.routeDecision(decisionFor(target('1', 'MODIFY', 'tp-again')))).toThrow('intent tp: MODIFY of an intent that is canceled');
  });

  it('waits after a child that found no venue, reports REJECTED with its rule, then asks again on the clock', () => {
    let now = 0;
    const execution = desk(() => now);
    const child = execution.routeDecision(decisionFor(target('0.5'))).intents[0]!;
    const refused = execution.routeDecision(decisionFor(child));
    expect(refused.intents).toEqual([]);
    expect(lastOf(refused.statuses)).toMatchObject({ state: 'REJECTED', rule: 'no_route' });
    expect(lastOf(refused.statuses)?.reason).toMatch(/^no venue could take it: binance no book; retried in 2 s$/);
    now = TARGET_RETRY_MS - 1;
    expect(execution.expire().intents).toEqual([]);
    now = TARGET_RETRY_MS;
    expect(childTerms(execution.expire())).toEqual(['PLACE ORDER EXECUTION tp:t1 BUY 0.5 null IOC']);
  });

  it('asks again, with the same message, for a child whose PLACE was not read back; the repeat is dropped', () => {
    let now = 0;
    const execution = desk(() => now);
    const asked = execution.routeDecision(decisionFor(target('0.5'))).intents;
    now = 9_999;
    expect(execution.expire().intents).toEqual([]);
    now = 10_000;
    const again = execution.expire().intents;
    expect(again.map(({ eventId }) => eventId)).toEqual([asked[0]!.eventId]);
    expect(execution.routeDecision(decisionFor(asked[0]!, [['binance', '0.5']])).commands).toHaveLength(1);
    expect(execution.routeDecision(decisionFor(again[0]!, [['binance', '0.5']])).commands).toEqual([]);
  });

  it('a run replaying the same inputs rebuilds the target and its child and asks for nothing new; a snapshot restores it', () => {
    const live = desk(() => 0);
    const inputs: Array<(execution: PortfolioExecution) => ExecutionOutput> = [];
    const child = live.routeDecision(decisionFor(target('0.5'))).intents[0]!;
    inputs.push((execution) => execution.routeDecision(decisionFor(target('0.5'))));
    const legs = live.routeDecision(decisionFor(child, [['binance', '0.2']])).commands;
    inputs.push((execution) => execution.routeDecision(decisionFor(child, [['binance', '0.2']])));
    // The child's leg filled 0.2 of 0.5: the child itself asks for the rest (a re-route), the target asks nothing.
    const reroute = filled(live, legs[0]!).intents;
    inputs.push((execution) => filled(execution, legs[0]!));
    expect(reroute.map(({ action, intentId, order }) => `${action} ${intentId} ${order?.amount}`)).toEqual(['REROUTE tp:t0 0.3']);
    const snapshot = live.snapshot();

    const replayed = desk(() => 0, true);
    for (const command of legs) replayed.earlierRun.commandSent(command);
    for (const input of inputs) input(replayed);
    // What the earlier run asked is asked again with the same id (the router's second answer is a repeat); no second child.
    expect(replayed.caughtUp().intents.map(({ eventId }) => eventId)).toEqual([reroute[0]!.eventId]);

    const restored = desk(() => 0);
    restored.restore(snapshot);
    expect(restored.caughtUp().intents).toEqual([]);
    // Restored, the target still waits on its child and takes the fills of the re-route's leg.
    const rest = restored.routeDecision(decisionFor(reroute[0]!, [['okx', '0.3']])).commands;
    expect(rest.map(({ intentId, quantity }) => `${intentId} ${quantity}`)).toEqual(['tp:t0 0.3']);
    expect(lastOf(filled(restored, rest[0]!).statuses)).toMatchObject({ state: 'DONE', filledQuantity: '0.5' });
  });

  it('a global cancel-all withdraws the target; a bad target is REJECTED on arrival with its reason', () => {
    const execution = desk(() => 0);
    const child = execution.routeDecision(decisionFor(target('0.5'))).intents[0]!;
    expect(execution.control(killSwitch({ type: 'CANCEL_ALL', scope: 'GLOBAL', engaged: null })).intents).toEqual([]);
    // Its child, asked before, comes back with no venue to go to: the target ends CANCELED and asks nothing more.
    const ended = execution.routeDecision(decisionFor(child));
    expect(statesOf(ended.statuses)).toEqual(['CANCELED']);
    expect(ended.intents).toEqual([]);
    const bad = intentMessage('tq', {}, { kind: 'TARGET_POSITION', order: null, targetQuantity: 'half' });
    expect(() => execution.routeDecision(decisionFor(bad))).toThrow(/intent tq targetQuantity/);
    expect(execution.takePendingStatuses()).toMatchObject([{ intentId: 'tq', state: 'REJECTED', rule: 'invalid_intent', side: 'BUY', requestedQuantity: '0' }]);
  });

  it('long target ids get child ids within the 128 characters an intent id may have', () => {
    const long = 'x'.repeat(128);
    expect(childIntentId('short', 't', 3)).toBe('short:t3');
    expect(childIntentId(long, 't', 12)).toMatch(/^parent-[0-9a-f]{32}:t12$/);
    expect(childIntentId(long, 't', 12)).not.toBe(childIntentId(`${'x'.repeat(127)}y`, 't', 12));
  });
});

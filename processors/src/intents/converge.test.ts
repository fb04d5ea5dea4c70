import { clientOrderId, Decimal, parseIntentId } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { applyOrderEventMessage } from '../execution/ExecutionState.ts';
import { applyControl, applyIntent, cancelAll, EMPTY_DESIRED_STATE, flattenIntents } from './DesiredState.ts';
import type { Convergence } from './converge.ts';
import { intentMessage, orderEvent, World } from './intentFixtures.ts';
import { intentStatus } from './intentStatus.ts';
import { killSwitch as controlCommand } from '../risk/riskFixtures.ts';

const d = (value: string) => new Decimal(value);
const sent = (convergence: Convergence) => convergence.adjustments.map((adjustment) => adjustment.sent);

describe('converging intents', () => {
  it('places the legs the router chose, with client order ids from (intent, leg, attempt), once', () => {
    const world = new World();
    world.desired = applyIntent(world.desired, intentMessage('i1'));
    const first = world.converge();
    expect(sent(first)).toEqual(['PLACE leg 0 binance/main 1 @ 100', 'PLACE leg 1 okx/main 1 @ 101']);
    expect(first.actions.map((action) => action.command.clientOrderId)).toEqual([
      clientOrderId(parseIntentId('i1'), 0, 0),
      clientOrderId(parseIntentId('i1'), 1, 0),
    ]);
    expect(first.actions[0]!.command).toMatchObject({ type: 'PLACE', orderType: 'LIMIT', timeInForce: 'IOC', quantity: '1', limitPrice: '100' });
    expect(first.adjustments[0]!.why).toBe('placement');
    expect(world.converge().actions).toEqual([]);
  });

  it('re-routes a rejected leg elsewhere under a new leg number', () => {
    const world = new World();
    world.desired = applyIntent(world.desired, intentMessage('i1'));
    world.converge();
    world.report('binance', ['SUBMITTED'], ['REJECTED']);
    const reroute = world.converge();
    expect(sent(reroute)).toEqual(['PLACE leg 2 binance/main 1 @ 100']);
    expect(reroute.adjustments[0]!.why).toBe('re-route 1 (route 2 of 5)');
  });

  it('cancels legs on a venue that goes dark and re-routes only what they did not fill, once the venue confirms', () => {
    const world = new World();
    world.desired = applyIntent(world.desired, intentMessage('i1', { timeInForce: 'GTC', limitPrice: '110' }));
    world.converge();
    world.report('binance', ['SUBMITTED'], ['ACCEPTED'], ['PARTIALLY_FILLED', '0.25']);
    world.setState('binance', 'DOWN');
    const dark = world.converge();
    expect(dark.adjustments).toEqual([expect.objectContaining({ why: 'venue binance DOWN', sent: expect.stringMatching(/^CANCEL leg 0 binance\/main/) })]);
    // Until binance confirms, its leg may still fill: nothing more is routed.
    expect(world.converge().actions).toEqual([]);
    world.report('binance', ['CANCELED', '0.4']);
    // okx's book still shows 1 at 101 (the router cannot tell our own leg's share of it).
    expect(sent(world.converge())).toEqual(['PLACE leg 2 okx/main 0.6 @ 101']);
  });

  it('counts an UNKNOWN leg as possibly filled until the venue says it does not exist', () => {
    const world = new World();
    world.desired = applyIntent(world.desired, intentMessage('i1'));
    world.converge();
    world.report('binance', ['SUBMITTED'], ['SUBMIT_UNKNOWN']);
    expect(world.converge().actions).toEqual([]);
    world.report('binance', ['NOT_FOUND']);
    expect(sent(world.converge())).toEqual(['PLACE leg 2 binance/main 1 @ 100']);
  });

  it('ends an IOC limit intent with what expired, but re-routes a GTC leg the venue cancelled', () => {
    const ioc = new World();
    ioc.desired = applyIntent(ioc.desired, intentMessage('i1', { limitPrice: '101' }));
    ioc.converge();
    ioc.report('binance', ['SUBMITTED'], ['PARTIALLY_FILLED', '0.5'], ['EXPIRED', '0.5']);
    expect(ioc.converge().actions).toEqual([]);

    const gtc = new World();
    gtc.desired = applyIntent(gtc.desired, intentMessage('i1', { timeInForce: 'GTC', limitPrice: '101' }));
    gtc.converge();
    gtc.report('binance', ['SUBMITTED'], ['ACCEPTED'], ['CANCELED', '0']);
    expect(sent(gtc.converge())).toEqual(['PLACE leg 2 binance/main 1 @ 100']);
  });

  it('reports an intent done only when nothing can execute and nothing more will be routed', () => {
    const world = new World();
    world.desired = applyIntent(world.desired, intentMessage('i1'));
    const status = () => intentStatus(world.desired.intents.get('i1')!, world.actual.get('i1')!, world.policy);
    world.converge();
    world.report('binance', ['SUBMITTED'], ['FILLED', '1']);
    world.report('okx', ['SUBMITTED'], ['REJECTED']);
    expect(status()).toMatchObject({ terminal: true, done: false }); // okx's 1 is routed again
    world.converge();
    world.report('binance', ['SUBMITTED'], ['FILLED', '1']);
    expect(status()).toMatchObject({ terminal: true, done: true });
    expect(status().filledQuantity.toString()).toBe('2');
  });

  it('stops re-routing when the policy says so, but routes the new terms of a modified intent', () => {
    const world = new World();
    world.policy = { reroute: false, maxRoutes: 1 };
    world.desired = applyIntent(world.desired, intentMessage('i1'));
    world.converge();
    world.report('binance', ['SUBMITTED'], ['REJECTED']);
    expect(world.converge().actions).toEqual([]);
    world.desired = applyIntent(world.desired, intentMessage('i1', { amount: '1.5' }, { action: 'MODIFY' }));
    world.report('okx', ['SUBMITTED'], ['EXPIRED']);
    const modified = world.converge();
    expect(modified.adjustments).toEqual([{ intentId: 'i1', why: 'placement of version 1', sent: 'PLACE leg 2 binance/main 1 @ 100' }, expect.objectContaining({ sent: 'PLACE leg 3 okx/main 0.5 @ 101' })]);
  });

  it('replaces the legs of a modified intent: cancel first, route the new terms once they are confirmed', () => {
    const world = new World();
    world.desired = applyIntent(world.desired, intentMessage('i1', { timeInForce: 'GTC', limitPrice: '100' }));
    world.converge();
    world.desired = applyIntent(world.desired, intentMessage('i1', { timeInForce: 'GTC', limitPrice: '101', amount: '1.5' }, { action: 'MODIFY' }));
    const modified = world.converge();
    expect(modified.adjustments).toEqual([expect.objectContaining({ why: 'intent modified to version 1' })]);
    world.report('binance', ['CANCELED']);
    expect(sent(world.converge())).toEqual(['PLACE leg 1 binance/main 1 @ 100', 'PLACE leg 2 okx/main 0.5 @ 101']);
  });

  it('cancels every live leg of a cancelled intent, and a global cancel-all cancels every intent', () => {
    const world = new World();
    world.desired = applyIntent(applyIntent(world.desired, intentMessage('i1')), intentMessage('i2', { amount: '0.5' }));
    world.converge();
    world.desired = applyIntent(world.desired, intentMessage('i1', {}, { action: 'CANCEL', order: null }));
    expect(world.converge().adjustments.map((adjustment) => adjustment.why)).toEqual(['intent canceled', 'intent canceled']);
    world.desired = cancelAll(world.desired, { scope: 'GLOBAL' });
    expect(world.converge().adjustments).toEqual([expect.objectContaining({ intentId: 'i2', why: 'intent canceled' })]);
  });

  it('clears one venue with a cancel-all on it and routes around it, leaving the other venues alone', () => {
    const world = new World();
    world.desired = applyIntent(world.desired, intentMessage('i1', { timeInForce: 'GTC', limitPrice: '101' }));
    world.converge();
    world.desired = cancelAll(world.desired, { scope: 'VENUE', venue: 'binance' });
    expect(sent(world.converge())).toEqual([expect.stringMatching(/^CANCEL leg 0 binance/)]);
    world.report('binance', ['CANCELED']);
    // The rest rests at the intent's limit on okx (binance is halted): okx now works the whole 2.
    expect(sent(world.converge())).toEqual(['PLACE leg 2 okx/main 1 @ 101']);
  });

  it('flattens one venue with reduce-only orders pinned there', () => {
    const world = new World();
    world.desired = applyIntent(world.desired, intentMessage('i1', { timeInForce: 'GTC', limitPrice: '101' }));
    world.converge();
    const command = controlCommand({ eventId: 'c1', type: 'FLATTEN', scope: 'VENUE', venue: 'okx', engaged: null });
    world.desired = applyControl(world.desired, command);
    const orders = flattenIntents(command, [{ account: 'main', portfolio: 'p1', instrument: 'BTC/USDT', quantity: d('-0.3') }]);
    for (const order of orders) world.desired = applyIntent(world.desired, order);
    const flatten = world.converge();
    expect(sent(flatten)).toEqual([expect.stringMatching(/^CANCEL leg 1 okx/), 'PLACE leg 0 okx/main 0.3 @ 101']);
    expect(flatten.actions[1]!.command).toMatchObject({ intentId: 'flatten:c1:main:BTC-USDT', side: 'BUY', reduceOnly: true, timeInForce: 'IOC' });
  });

  it('cancels the other members of a one-cancels-other group once one fills, and waits for an all-or-none group', () => {
    const world = new World();
    const oco = { groupId: 'g1', contingency: 'ONE_CANCELS_OTHER' as const, size: 2 };
    world.desired = applyIntent(world.desired, intentMessage('a', { amount: '0.5', timeInForce: 'GTC', limitPrice: '100' }, { kind: 'ORDER_GROUP', group: oco }));
    world.desired = applyIntent(world.desired, intentMessage('b', { amount: '0.5', side: 'SELL', timeInForce: 'GTC', limitPrice: '95' }, { kind: 'ORDER_GROUP', group: oco }));
    world.converge();
    const legA = world.leg('binance', 'a');
    world.actual = applyOrderEventMessage(world.actual, orderEvent(legA, 'FILLED', '0.5')).state;
    expect(world.converge().adjustments).toEqual([expect.objectContaining({ intentId: 'b', why: 'one-cancels-other: a filled' })]);

    const aon = new World();
    const group = { groupId: 'g2', contingency: 'ALL_OR_NONE' as const, size: 2 };
    aon.desired = applyIntent(aon.desired, intentMessage('x', {}, { kind: 'ORDER_GROUP', group }));
    expect(aon.converge().adjustments).toEqual([{ intentId: 'x', why: 'group g2: 1 of 2 members arrived', sent: 'nothing' }]);
  });

  it('refuses intents it cannot execute with one line, leaving the state as it was', () => {
    expect(() => applyIntent(EMPTY_DESIRED_STATE, intentMessage('q', { amountType: 'QUOTE' }))).toThrow('intent q: the intent model needs a base amount, got QUOTE');
    expect(() => applyIntent(EMPTY_DESIRED_STATE, intentMessage('m', {}, { action: 'MODIFY' }))).toThrow('intent m: MODIFY of an intent that is unknown');
  });
});

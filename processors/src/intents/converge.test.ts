import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { EMPTY_EXECUTION } from '../execution/ExecutionState.ts';
import { applyControl, cancelAll, flattenIntents } from './DesiredState.ts';
import { DEFAULT_REROUTE_POLICY, routableRemainder, routingNeed, venuesToAvoid, type CancelAction } from './converge.ts';
import { intentMessage, World } from './intentFixtures.ts';
import { intentStatus } from './intentStatus.ts';
import { killSwitch as controlCommand } from '../risk/riskFixtures.ts';

const d = (value: string) => new Decimal(value);
/** Each cancel as "CANCEL <client order id>: <why>". */
const cancels = (actions: CancelAction[]) => actions.map(({ command, why }) => `${command.type} ${command.clientOrderId}: ${why}`);
const id = (world: World, venue: string, intentId = 'i1') => world.leg(venue, intentId).order.clientOrderId;

describe('converge: the legs the desired state no longer wants', () => {
  it('cancels every live leg of a cancelled intent once, and a global cancel-all cancels every intent', () => {
    const world = new World();
    world.intent(intentMessage('i1'));
    world.intent(intentMessage('i2', { amount: '0.5' }));
    world.place('i1', [['binance', '1'], ['okx', '1']]);
    world.place('i2', [['kraken', '0.5']]);
    expect(world.converge()).toEqual([]);
    world.report('binance', [['SUBMITTED'], ['FILLED', '1']]);
    world.intent(intentMessage('i1', {}, { action: 'CANCEL', order: null }));
    // The filled leg is done; only okx's is cancelled, with the command the venue needs.
    const canceled = world.converge();
    expect(cancels(canceled)).toEqual([`CANCEL ${id(world, 'okx')}: intent canceled`]);
    expect(canceled[0]!.command).toMatchObject({ intentId: 'i1', venue: 'okx', account: 'main', quantity: '1', limitPrice: '100', orderType: 'LIMIT', timeInForce: 'IOC' });
    // A cancel asked for is not asked again while the venue has not answered.
    expect(world.converge()).toEqual([]);
    world.desired = cancelAll(world.desired, { scope: 'GLOBAL' });
    expect(cancels(world.converge())).toEqual([`CANCEL ${id(world, 'kraken', 'i2')}: intent canceled`]);
  });

  it('cancels the legs a MODIFY replaced and leaves the new version\'s legs alone', () => {
    const world = new World();
    world.intent(intentMessage('i1', { timeInForce: 'GTC', limitPrice: '100' }));
    world.place('i1', [['binance', '1']]);
    world.intent(intentMessage('i1', { timeInForce: 'GTC', limitPrice: '101', amount: '3' }, { action: 'MODIFY' }));
    world.place('i1', [['okx', '1']], '101');
    expect(cancels(world.converge())).toEqual([`CANCEL ${id(world, 'binance')}: intent modified to version 1`]);
    expect(world.leg('binance').order.state).toBe('PENDING_CANCEL');
    expect(world.converge()).toEqual([]);
  });

  it('clears one venue under a cancel-all, leaving the other venues alone, and keeps the flatten orders that close it', () => {
    const world = new World();
    world.intent(intentMessage('i1', { timeInForce: 'GTC', limitPrice: '101' }));
    world.place('i1', [['binance', '1'], ['okx', '1']]);
    const command = controlCommand({ eventId: 'c1', type: 'FLATTEN', scope: 'VENUE', venue: 'okx', engaged: null });
    world.desired = applyControl(world.desired, command);
    const [flatten] = flattenIntents(command, [{ account: 'main', portfolio: 'p1', instrument: 'BTC/USDT', quantity: d('-0.3') }]);
    world.intent(flatten!);
    world.place(flatten!.intentId, [['okx', '0.3']]);
    expect(cancels(world.converge())).toEqual([`CANCEL ${id(world, 'okx')}: cancel-all in force on okx/main`]);
    world.desired = cancelAll(world.desired, { scope: 'ACCOUNT', venue: 'binance', account: 'other' });
    expect(world.converge()).toEqual([]);
  });

  it('cancels the other members of a one-cancels-other group once one fills', () => {
    const world = new World();
    const oco = { groupId: 'g1', contingency: 'ONE_CANCELS_OTHER' as const, size: 2 };
    world.intent(intentMessage('a', { amount: '0.5', timeInForce: 'GTC', limitPrice: '100' }, { kind: 'ORDER_GROUP', group: oco }));
    world.intent(intentMessage('b', { amount: '0.5', side: 'SELL', timeInForce: 'GTC', limitPrice: '95' }, { kind: 'ORDER_GROUP', group: oco }));
    world.place('a', [['binance', '0.5']]);
    world.place('b', [['okx', '0.5']], '95');
    world.report('binance', [['ACCEPTED']], 'a');
    expect(world.converge()).toEqual([]);
    world.report('binance', [['PARTIALLY_FILLED', '0.1']], 'a');
    expect(cancels(world.converge())).toEqual([`CANCEL ${id(world, 'okx', 'b')}: one-cancels-other: a filled`]);
    // The stopped member is routed no more.
    expect(routingNeed(world.desired.intents.get('b')!, world.desired, world.actual, DEFAULT_REROUTE_POLICY)).toBeNull();
  });
});

describe('what is left to route (the cap on placements and re-routes)', () => {
  const need = (world: World, intentId = 'i1') => {
    const found = routingNeed(world.desired.intents.get(intentId)!, world.desired, world.actual, DEFAULT_REROUTE_POLICY);
    return found === null ? null : 'waiting' in found ? found.waiting : `${found.remainder.toString()} (routes ${found.routes})`;
  };

  it('counts a live or UNKNOWN leg in full until the venue says it does not exist, and avoids the venue that rejected', () => {
    const world = new World();
    world.intent(intentMessage('i1'));
    expect(need(world)).toBe('2 (routes 0)');
    world.place('i1', [['binance', '1'], ['okx', '1']]);
    expect(need(world)).toBeNull();
    world.report('binance', [['SUBMITTED'], ['SUBMIT_UNKNOWN']]);
    world.report('okx', [['PARTIALLY_FILLED', '0.25'], ['EXPIRED', '0.25']]);
    // A market intent's IOC leg that expired is routed again; the UNKNOWN one still counts.
    expect(need(world)).toBe('0.75 (routes 1)');
    world.report('binance', [['NOT_FOUND']]);
    expect(need(world)).toBe('1.75 (routes 1)');
    expect(venuesToAvoid(world.desired.intents.get('i1')!, world.actual.get('i1')!)).toEqual(['binance']);
  });

  it('ends an IOC limit intent with what expired, but routes again what a venue cancelled of a GTC one', () => {
    const ioc = new World();
    ioc.intent(intentMessage('i1', { limitPrice: '101' }));
    ioc.place('i1', [['binance', '1'], ['okx', '1']]);
    ioc.report('binance', [['PARTIALLY_FILLED', '0.5'], ['EXPIRED', '0.5']]);
    ioc.report('okx', [['REJECTED']]);
    expect(need(ioc)).toBe('1 (routes 1)');

    const gtc = new World();
    gtc.intent(intentMessage('i1', { timeInForce: 'GTC', limitPrice: '101' }));
    gtc.place('i1', [['binance', '2']]);
    gtc.report('binance', [['ACCEPTED'], ['CANCELED', '0.5']]);
    expect(need(gtc)).toBe('1.5 (routes 1)');
    expect(venuesToAvoid(gtc.desired.intents.get('i1')!, gtc.actual.get('i1')!)).toEqual([]);
  });

  it('stops at the policy\'s routings, while a MODIFY counts afresh and no longer counts the old terms\' expiries', () => {
    const world = new World();
    world.intent(intentMessage('i1', { limitPrice: '101' }));
    for (let route = 1; route <= DEFAULT_REROUTE_POLICY.maxRoutes; route++) {
      world.place('i1', [['binance', '0.5']]);
      world.report('binance', [['REJECTED']]);
    }
    expect(need(world)).toBeNull();
    expect(routingNeed(world.desired.intents.get('i1')!, world.desired, world.actual, { reroute: false, maxRoutes: 1 })).toBeNull();
    world.place('i1', [['okx', '1']]);
    world.report('okx', [['EXPIRED']]);
    expect(routableRemainder(world.desired.intents.get('i1')!, world.actual.get('i1')!).toString()).toBe('1');
    world.intent(intentMessage('i1', { limitPrice: '102' }, { action: 'MODIFY' }));
    expect(need(world)).toBe('2 (routes 0)');
  });

  it('waits for the members of an all-or-none group', () => {
    const world = new World();
    const group = { groupId: 'g2', contingency: 'ALL_OR_NONE' as const, size: 2 };
    world.intent(intentMessage('x', {}, { kind: 'ORDER_GROUP', group }));
    expect(need(world, 'x')).toBe('group g2: 1 of 2 members arrived');
    world.intent(intentMessage('y', { side: 'SELL' }, { kind: 'ORDER_GROUP', group }));
    expect(need(world, 'x')).toBe('2 (routes 0)');
  });

  it('reports an intent done only when nothing can execute and nothing more will be routed', () => {
    const world = new World();
    world.intent(intentMessage('i1'));
    const status = () => intentStatus(world.desired.intents.get('i1')!, world.actual.get('i1') ?? EMPTY_EXECUTION, DEFAULT_REROUTE_POLICY);
    expect(status()).toMatchObject({ done: false });
    world.place('i1', [['binance', '1'], ['okx', '1']]);
    world.report('binance', [['FILLED', '1']]);
    world.report('okx', [['REJECTED']]);
    expect(status()).toMatchObject({ terminal: true, done: false }); // okx's 1 is routed again
    world.place('i1', [['binance', '1']]);
    world.report('binance', [['FILLED', '1']]);
    expect(status()).toMatchObject({ terminal: true, done: true });
    expect(status().filledQuantity.toString()).toBe('2');
  });
});

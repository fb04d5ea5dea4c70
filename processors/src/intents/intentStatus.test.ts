import { describe, expect, it } from 'vitest';
import { applyFillMessage, EMPTY_EXECUTION } from '../execution/ExecutionState.ts';
import { fill } from '../risk/riskFixtures.ts';
import { DEFAULT_REROUTE_POLICY } from './converge.ts';
import { intentMessage, World } from './intentFixtures.ts';
import { intentStatusView, sameStatus, type IntentRefusal } from './intentStatus.ts';

/** The status of intent i1 in `world`, as "STATE filled/leaves avg rule". */
function status(world: World, refusal?: IntentRefusal, policy = DEFAULT_REROUTE_POLICY): string {
  const view = intentStatusView(world.desired.intents.get('i1')!, world.actual.get('i1') ?? EMPTY_EXECUTION, policy, refusal);
  return [view.state, `${view.filledQuantity}/${view.leavesQuantity}`, view.averagePrice ?? '-', view.rule ?? '-'].join(' ');
}

/** A fill of `quantity` at `price` on the latest leg of i1 on `venue`. */
function filled(world: World, venue: string, quantity: string, price: string, fee = '0.1'): void {
  const { clientOrderId } = world.leg(venue).order;
  const step = applyFillMessage(world.actual, fill({ intentId: 'i1', clientOrderId, venue, quantity, price, fee, venueTradeId: `${clientOrderId}-${quantity}` }));
  if (step.error) throw new Error(String(step.error));
  world.actual = step.state;
}

describe('intent status: what became of an intent, FIX ExecutionReport style', () => {
  it('goes ACCEPTED, WORKING, PARTIALLY_FILLED and DONE over a split across two venues, with CumQty, LeavesQty, AvgPx and fees', () => {
    const world = new World();
    world.intent(intentMessage('i1', { amount: '2', limitPrice: '101', timeInForce: 'GTC' }, { source: 'STRATEGY' }));
    expect(status(world)).toBe('ACCEPTED 0/2 - -');
    world.place('i1', [['binance', '1.5'], ['okx', '0.5']]);
    expect(status(world)).toBe('WORKING 0/2 - -');
    world.report('binance', [['ACCEPTED'], ['PARTIALLY_FILLED', '1']]);
    filled(world, 'binance', '1', '100');
    expect(status(world)).toBe('PARTIALLY_FILLED 1/1 100 -');
    world.report('okx', [['ACCEPTED'], ['FILLED', '0.5']]);
    filled(world, 'okx', '0.5', '101');
    // (1 × 100 + 0.5 × 101) / 1.5
    expect(status(world)).toBe('PARTIALLY_FILLED 1.5/0.5 100.3333333333333333333333333333333333333 -');
    world.report('binance', [['FILLED', '1.5']]);
    filled(world, 'binance', '0.5', '100', '0.05');
    const view = intentStatusView(world.desired.intents.get('i1')!, world.actual.get('i1')!, DEFAULT_REROUTE_POLICY, undefined);
    expect(view).toMatchObject({ state: 'DONE', requestedQuantity: '2', filledQuantity: '2', leavesQuantity: '0', averagePrice: '100.25', source: 'STRATEGY', side: 'BUY', fees: [{ currency: 'USDT', amount: '0.25' }] });
  });

  it('is CANCELED once a cancelled intent has no leg working, with what filled before', () => {
    const world = new World();
    world.intent(intentMessage('i1', { amount: '2', limitPrice: '101', timeInForce: 'GTC' }));
    world.place('i1', [['binance', '2']]);
    world.report('binance', [['ACCEPTED'], ['PARTIALLY_FILLED', '0.5']]);
    world.intent(intentMessage('i1', {}, { action: 'CANCEL', order: null }));
    world.converge();
    // The cancel is asked for, not confirmed: the leg may still fill.
    expect(status(world)).toBe('PARTIALLY_FILLED 0.5/1.5 - -');
    world.report('binance', [['CANCELED', '0.5']]);
    // Ended, but its fill is not in yet: the final record waits for the price and the fees.
    expect(status(world)).toBe('PARTIALLY_FILLED 0.5/1.5 - -');
    filled(world, 'binance', '0.5', '100');
    expect(status(world)).toBe('CANCELED 0.5/0 100 -');
  });

  it('is EXPIRED when an IOC leg ends with quantity unfilled (immediate or never), and when the re-route policy is used up', () => {
    const ioc = new World();
    ioc.intent(intentMessage('i1', { amount: '2', limitPrice: '101', timeInForce: 'IOC' }));
    ioc.place('i1', [['binance', '2']]);
    ioc.report('binance', [['ACCEPTED'], ['PARTIALLY_FILLED', '0.7'], ['EXPIRED', '0.7']]);
    filled(ioc, 'binance', '0.7', '100');
    expect(status(ioc)).toBe('EXPIRED 0.7/0 100 time_in_force');

    const gtc = new World();
    gtc.intent(intentMessage('i1', { amount: '1', limitPrice: '101', timeInForce: 'GTC' }));
    gtc.place('i1', [['binance', '1']]);
    gtc.report('binance', [['REJECTED']]);
    // Rejected by the venue: routed again while the policy allows.
    expect(status(gtc)).toBe('WORKING 0/1 - -');
    expect(status(gtc, undefined, { reroute: false, maxRoutes: 1 })).toBe('EXPIRED 0/0 - reroute_policy');
  });

  it('is REJECTED with the rule when the routing of its terms placed nothing, EXPIRED when part had filled, and a MODIFY asks afresh', () => {
    const world = new World();
    world.intent(intentMessage('i1', { amount: '2', limitPrice: '101', timeInForce: 'GTC' }));
    const killed = { version: 0, rule: 'kill_switch', reason: 'GLOBAL kill switch engaged by ops: test' };
    expect(status(world, killed)).toBe('REJECTED 0/0 - kill_switch');
    world.place('i1', [['binance', '1']]);
    world.report('binance', [['ACCEPTED'], ['PARTIALLY_FILLED', '0.4']]);
    // A leg still works: the refusal of the re-route ends nothing yet.
    expect(status(world, killed)).toBe('PARTIALLY_FILLED 0.4/1.6 - -');
    world.report('binance', [['CANCELED', '0.4']]);
    filled(world, 'binance', '0.4', '100');
    expect(status(world, killed)).toBe('EXPIRED 0.4/0 100 kill_switch');
    world.intent(intentMessage('i1', { amount: '3', limitPrice: '101', timeInForce: 'GTC' }, { action: 'MODIFY' }));
    expect(status(world, killed)).toBe('PARTIALLY_FILLED 0.4/2.6 100 -');
  });

  it('tells two statuses apart by every field but the record id and time', () => {
    const world = new World();
    world.intent(intentMessage('i1', { amount: '2', limitPrice: '101', timeInForce: 'GTC' }));
    const view = () => intentStatusView(world.desired.intents.get('i1')!, world.actual.get('i1') ?? EMPTY_EXECUTION, DEFAULT_REROUTE_POLICY, undefined);
    const before = view();
    expect(sameStatus(before, view())).toBe(true);
    world.place('i1', [['binance', '2']]);
    world.report('binance', [['ACCEPTED'], ['PARTIALLY_FILLED', '1']]);
    const reported = view();
    filled(world, 'binance', '1', '100');
    // The fill behind the cumulative quantity the venue reported: same CumQty, now an AvgPx and fees.
    expect(reported.filledQuantity).toBe(view().filledQuantity);
    expect(sameStatus(reported, view())).toBe(false);
  });
});

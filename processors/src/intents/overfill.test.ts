import { Decimal, isTerminalOrderState, type OrderEventType } from '@crossvenue/schemas';
import { seededRandom } from '@crossvenue/runtime';
import { describe, expect, it } from 'vitest';
import { applyOrderEventMessage } from '../execution/ExecutionState.ts';
import { filledQuantity, possibleFill } from '../orders/ChildOrder.ts';
import { applyIntent, cancelAll, resume } from './DesiredState.ts';
import { intentMessage, orderEvent, World } from './intentFixtures.ts';


const EVENTS: OrderEventType[] = ['SUBMITTED', 'ACCEPTED', 'PARTIALLY_FILLED', 'FILLED', 'REJECTED', 'SUBMIT_UNKNOWN', 'NOT_FOUND', 'CANCELED', 'EXPIRED', 'CANCEL_REJECTED'];
const VENUES = ['binance', 'okx', 'kraken'];

describe('an intent is never over-filled across venues', () => {
  it('keeps working + filled <= amount through 300 seeded sequences of fills, rejects, unknowns, cancels and outages', () => {
    let reroutes = 0;
    let invalid = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const next = seededRandom(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
      const world = new World();
      const amount = new Decimal(1 + Math.floor(next() * 20)).div(10).times(2);
      const gtc = next() < 0.5;
      world.desired = applyIntent(world.desired, intentMessage('i1', { amount: amount.toString(), ...(gtc && { timeInForce: 'GTC', limitPrice: '106' }) }));
      for (let step = 0; step < 60; step++) {
        const roll = next();
        const live = world.legs().filter((leg) => !isTerminalOrderState(leg.order.state));
        if (roll < 0.55 && live.length > 0) {
          const leg = pick(live);
          const event = pick(EVENTS);
          const filled = filledQuantity(leg.order);
          const cumulative = event === 'FILLED' ? leg.order.quantity : event === 'PARTIALLY_FILLED' || event === 'CANCELED' || event === 'EXPIRED' ? filled.plus(leg.order.quantity.minus(filled).times(Math.floor(next() * 4)).div(4)) : filled;
          const applied = applyOrderEventMessage(world.actual, orderEvent(leg, event, cumulative));
          if (applied.error) invalid++;
          world.actual = applied.state;
        } else if (roll < 0.65) {
          world.setState(pick(VENUES), next() < 0.5 ? 'DOWN' : 'HEALTHY');
        } else if (roll < 0.7) {
          const halt = { scope: 'VENUE' as const, venue: pick(VENUES) };
          world.desired = next() < 0.5 ? cancelAll(world.desired, halt) : resume(world.desired, halt);
        } else {
          const convergence = world.converge();
          reroutes += convergence.adjustments.filter((adjustment) => adjustment.why.startsWith('re-route')).length;
        }
        const legs = world.legs();
        const working = legs.reduce((sum, leg) => sum.plus(possibleFill(leg.order)), new Decimal(0));
        const filled = legs.reduce((sum, leg) => sum.plus(filledQuantity(leg.order)), new Decimal(0));
        expect(working.lte(amount), `seed ${seed} step ${step}: ${working} may fill of ${amount}`).toBe(true);
        expect(filled.lte(amount), `seed ${seed} step ${step}: ${filled} filled of ${amount}`).toBe(true);
      }
    }
    // The sequences did exercise re-routing and the transition table's refusals.
    expect(reroutes).toBeGreaterThan(100);
    expect(invalid).toBeGreaterThan(100);
  });
});

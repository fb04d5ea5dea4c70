import { Decimal, type Side } from '@crossvenue/schemas';
import { seededRandom } from '@crossvenue/runtime';
import { describe, expect, it } from 'vitest';
import { routeOrder } from './routeOrder.ts';
import type { PlannedLeg, RoutePlan } from './RoutePlan.ts';
import type { BookLevel, VenueCandidate } from './RouteRequest.ts';
import { request, rules, venue } from './venueFixtures.ts';

const LOT = new Decimal('0.1');
const FEES = ['0', '0.0005', '0.001', '0.002', '-0.0001'];

interface Case {
  side: Side;
  venues: VenueCandidate[];
  limit: Decimal | null;
  targetLots: number;
}

/**
 * 2-3 venues, 1-5 levels each, quantities in steps of 0.05 (so rounding to the 0.1 lot matters).
 * The first venue has `sharing` accounts on its one book, each with its own fee, health and balance.
 */
function randomCase(seed: number, sharing = 1): Case {
  const next = seededRandom(seed);
  const int = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));
  const side: Side = next() < 0.5 ? 'BUY' : 'SELL';
  const venues = Array.from({ length: int(2, 3) }, (_, v) => {
    let price = 1000 + (side === 'BUY' ? int(0, 20) : -int(0, 20));
    const book: BookLevel[] = Array.from({ length: int(1, 5) }, () => {
      price += side === 'BUY' ? int(1, 8) : -int(1, 8);
      return { price: new Decimal(price).div(10), quantity: new Decimal(int(1, 12)).times('0.05') };
    });
    return Array.from({ length: v === 0 ? sharing : 1 }, (_account, a) => {
      // A third of the accounts have a balance that may bind: quote to spend for a buy, base to sell.
      const available = next() < 0.33 ? new Decimal(int(1, 40)).times(side === 'BUY' ? '10' : '0.05') : null;
      return venue(`v${v}`, side === 'BUY' ? { asks: book } : { bids: book }, {
        account: `a${a}`,
        available,
        takerFee: new Decimal(FEES[int(0, FEES.length - 1)]!),
        rules: rules({ quantityStep: '0.1' }),
        condition: { state: 'HEALTHY', reason: '', latencyP50Ms: int(0, 300), bookStalenessMs: int(0, 2000), errorRate: new Decimal(0), rejectRate: new Decimal(int(0, 5)).div(100) },
      });
    });
  }).flat();
  const limit = next() < 0.3 ? new Decimal(1000 + (side === 'BUY' ? 20 : -20)).div(10) : null;
  // With a shared venue this counts its book once per account: some orders ask more than is there.
  const lots = venues.reduce((total, candidate) => total + maxLots(candidate, side, limit), 0);
  return { side, venues, limit, targetLots: lots === 0 ? 0 : int(1, lots) };
}

function bookOf(candidate: VenueCandidate, side: Side): readonly BookLevel[] {
  return side === 'BUY' ? candidate.asks : candidate.bids;
}

function within(side: Side, price: Decimal, limit: Decimal | null): boolean {
  return limit === null || (side === 'BUY' ? price.lte(limit) : price.gte(limit));
}

/** Lots the venue can give within the limit and the account's balance (a buy pays notional plus taker fee). */
function maxLots(candidate: VenueCandidate, side: Side, limit: Decimal | null): number {
  const depth = bookOf(candidate, side)
    .filter((level) => within(side, level.price, limit))
    .reduce((total, level) => total.plus(level.quantity), new Decimal(0));
  let lots = depth.dividedToIntegerBy(LOT).toNumber();
  const balance = candidate.available;
  if (balance === null) return lots;
  if (side === 'SELL') return Math.min(lots, balance.dividedToIntegerBy(LOT).toNumber());
  while (lots > 0 && notionalOf(candidate, LOT.times(lots)).times(candidate.takerFee.plus(1)).gt(balance)) lots--;
  return lots;
}

function notionalOf(candidate: VenueCandidate, quantity: Decimal): Decimal {
  let left = quantity;
  let notional = new Decimal(0);
  for (const level of candidate.asks) {
    const take = Decimal.min(left, level.quantity);
    notional = notional.plus(level.price.times(take));
    left = left.minus(take);
  }
  return notional;
}

/**
 * The signed cost of taking `quantity` from one venue, computed here from scratch (not with the
 * router's cumulative arrays): each unit at its level price times (1 +/- fee + penalties).
 */
function costOf(candidate: VenueCandidate, side: Side, quantity: Decimal): Decimal {
  const { latencyP50Ms, bookStalenessMs, errorRate, rejectRate } = candidate.condition;
  const bps = new Decimal('0.01').times(latencyP50Ms ?? 0).plus(new Decimal(2).times(bookStalenessMs ?? 0).div(1000)).plus(errorRate.plus(rejectRate).times(50));
  const markup = candidate.takerFee.plus(bps.div(10_000));
  let left = quantity;
  let cost = new Decimal(0);
  for (const level of bookOf(candidate, side)) {
    const take = Decimal.min(left, level.quantity);
    const value = level.price.times(take);
    cost = side === 'BUY' ? cost.plus(value.times(markup.plus(1))) : cost.minus(value.times(new Decimal(1).minus(markup)));
    left = left.minus(take);
  }
  return cost;
}

/** Every allocation of `targetLots` lots over the venues, within each venue's depth: the cheapest. */
function exhaustiveMinimum({ side, venues, limit, targetLots }: Case): { cost: Decimal; allocations: number } {
  const caps = venues.map((candidate) => maxLots(candidate, side, limit));
  let best: Decimal | null = null;
  let allocations = 0;
  const search = (v: number, left: number, cost: Decimal) => {
    if (v === venues.length) {
      if (left !== 0) return;
      allocations++;
      if (best === null || cost.lt(best)) best = cost;
      return;
    }
    for (let lots = 0; lots <= Math.min(caps[v]!, left); lots++) {
      search(v + 1, left - lots, cost.plus(costOf(venues[v]!, side, LOT.times(lots))));
    }
  };
  search(0, targetLots, new Decimal(0));
  return { cost: best!, allocations };
}

// Plan costs add notional, fee and penalties separately; 40 significant digits leave rounding far below this.
const TOLERANCE = new Decimal('1e-20');

describe('the router split is cost-minimal (exhaustive search over lot allocations)', () => {
  it('matches the cheapest of every feasible split on 400 seeded random books of 2-3 venues, some with binding balances', () => {
    let compared = 0;
    let balanceBinds = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const scenario = randomCase(seed);
      if (scenario.targetLots === 0) continue; // nothing within the limit: no split to compare
      const amount = LOT.times(scenario.targetLots);
      const plan = routeOrder(request({ side: scenario.side, amount, limitPrice: scenario.limit }), scenario.venues);
      const { cost, allocations } = exhaustiveMinimum(scenario);
      expect(plan.routedQuantity.toString(), `seed ${seed}`).toBe(amount.toString());
      for (const leg of plan.legs) expect(leg.quantity.mod(LOT).isZero(), `seed ${seed} lot`).toBe(true);
      expect(plan.totalExpectedCost.minus(cost).abs().lte(TOLERANCE), `seed ${seed}: plan ${plan.totalExpectedCost} vs best ${cost}`).toBe(true);
      compared += allocations;
      const bound = scenario.venues.some((candidate) => maxLots(candidate, scenario.side, scenario.limit) < maxLots({ ...candidate, available: null }, scenario.side, scenario.limit));
      if (bound) balanceBinds++;
    }
    expect(compared).toBeGreaterThan(4000);
    expect(balanceBinds).toBeGreaterThan(40);
  });
});

/** Best first: lower limit then lower average price for a buy, higher for a sell. */
function bestFirst(side: Side) {
  const sign = side === 'BUY' ? 1 : -1;
  return (a: PlannedLeg, b: PlannedLeg) => sign * (a.limitPrice.comparedTo(b.limitPrice) || a.expectedAveragePrice.comparedTo(b.expectedAveragePrice));
}

/**
 * Walks the legs on each venue down its book within the limit, best leg first, each drawing only
 * what the legs before it left of each level, so the legs together never use more of a level than
 * it holds. Checks the walk stays within the book and every leg is priced at the stretch it gets
 * (notional, worst price): legs that counted the same level twice would run past the book or be
 * priced better than what is left for them.
 */
function expectEachLevelPlannedOnce({ side, venues, limit }: Case, plan: RoutePlan, seed: number): void {
  for (const name of new Set(plan.legs.map((leg) => leg.venue))) {
    const book = bookOf(venues.find((candidate) => candidate.venue === name)!, side).filter((level) => within(side, level.price, limit));
    const used = book.map(() => new Decimal(0));
    let i = 0;
    for (const leg of plan.legs.filter((planned) => planned.venue === name).sort(bestFirst(side))) {
      let left = leg.quantity;
      let notional = new Decimal(0);
      while (left.gt(0)) {
        expect(i < book.length, `seed ${seed}: ${name} legs take more than the book holds within the limit`).toBe(true);
        const take = Decimal.min(left, book[i]!.quantity.minus(used[i]!));
        used[i] = used[i]!.plus(take);
        notional = notional.plus(book[i]!.price.times(take));
        left = left.minus(take);
        if (left.gt(0)) i++;
      }
      const where = `seed ${seed}: leg ${name}/${leg.account} ${leg.quantity}`;
      expect(leg.expectedNotional.toString(), where).toBe(notional.toString());
      expect(leg.limitPrice.toString(), where).toBe(book[i]!.price.toString());
      if (used[i]!.eq(book[i]!.quantity)) i++;
    }
  }
}

describe('accounts on one venue share its book', () => {
  it('plans no level twice (base or quote amount), and never does worse than either account alone, on 1000 seeded random books with two accounts on one venue', () => {
    let bothTrade = 0;
    let capacityBinds = 0;
    for (let seed = 1; seed <= 1000; seed++) {
      const scenario = randomCase(seed, 2);
      if (scenario.targetLots === 0) continue;
      const order = request({ side: scenario.side, amount: LOT.times(scenario.targetLots), limitPrice: scenario.limit });
      const plan = routeOrder(order, scenario.venues);
      expectEachLevelPlannedOnce(scenario, plan, seed);
      // A quote amount (prices are near 100) walks the shared book by notional: it too plans no level twice.
      const spend = routeOrder({ ...order, amount: order.amount.times(100), amountType: 'QUOTE' }, scenario.venues);
      expectEachLevelPlannedOnce(scenario, spend, seed);
      const shared = plan.legs.filter((leg) => leg.venue === 'v0');
      if (shared.length === 2) bothTrade++;
      // A second account on the venue only adds liquidity it may reach: never less routed, never dearer for as much.
      for (const dropped of ['a0', 'a1']) {
        const alone = routeOrder(order, scenario.venues.filter((candidate) => candidate.venue !== 'v0' || candidate.account !== dropped));
        const where = `seed ${seed} without v0/${dropped}`;
        expect(plan.routedQuantity.gte(alone.routedQuantity), where).toBe(true);
        if (plan.routedQuantity.eq(alone.routedQuantity)) expect(plan.totalExpectedCost.lte(alone.totalExpectedCost.plus(TOLERANCE)), where).toBe(true);
        else capacityBinds++;
      }
    }
    expect(bothTrade).toBeGreaterThan(30);
    expect(capacityBinds).toBeGreaterThan(40);
  });
});

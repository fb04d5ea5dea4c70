import { Decimal, type Side } from '@crossvenue/schemas';
import { seededRandom } from '@crossvenue/runtime';
import { describe, expect, it } from 'vitest';
import { routeOrder } from './routeOrder.ts';
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

/** 2-3 venues, 1-5 levels each, quantities in steps of 0.05 (so rounding to the 0.1 lot matters). */
function randomCase(seed: number): Case {
  const next = seededRandom(seed);
  const int = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));
  const side: Side = next() < 0.5 ? 'BUY' : 'SELL';
  const venues = Array.from({ length: int(2, 3) }, (_, v) => {
    let price = 1000 + (side === 'BUY' ? int(0, 20) : -int(0, 20));
    const book: BookLevel[] = Array.from({ length: int(1, 5) }, () => {
      price += side === 'BUY' ? int(1, 8) : -int(1, 8);
      return { price: new Decimal(price).div(10), quantity: new Decimal(int(1, 12)).times('0.05') };
    });
    // A third of the venues have a balance that may bind: quote to spend for a buy, base to sell.
    const available = next() < 0.33 ? new Decimal(int(1, 40)).times(side === 'BUY' ? '10' : '0.05') : null;
    return venue(`v${v}`, side === 'BUY' ? { asks: book } : { bids: book }, {
      available,
      takerFee: new Decimal(FEES[int(0, FEES.length - 1)]!),
      rules: rules({ quantityStep: '0.1' }),
      condition: { state: 'HEALTHY', reason: '', latencyP50Ms: int(0, 300), bookStalenessMs: int(0, 2000), errorRate: new Decimal(0), rejectRate: new Decimal(int(0, 5)).div(100) },
    });
  });
  const limit = next() < 0.3 ? new Decimal(1000 + (side === 'BUY' ? 20 : -20)).div(10) : null;
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

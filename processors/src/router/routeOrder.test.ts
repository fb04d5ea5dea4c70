import { contractViolations, Decimal, RouteDecisionSchema } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { routeOrder } from './routeOrder.ts';
import { levels, request, rules, venue } from './venueFixtures.ts';
import { toRouteDecision } from './toRouteDecision.ts';
import { intentMessage } from '../intents/intentFixtures.ts';
import type { RoutePlan } from './RoutePlan.ts';

const d = (value: string) => new Decimal(value);

function legsOf(plan: RoutePlan) {
  return plan.legs.map((leg) => ({ venue: leg.venue, quantity: leg.quantity.toString(), limitPrice: leg.limitPrice.toString() }));
}

function reasonOf(plan: RoutePlan, name: string): string {
  return plan.candidates.find((candidate) => candidate.venue === name)!.reason;
}

const A = venue('binance', { asks: levels([['100', '1'], ['101', '1']]), bids: levels([['99', '1'], ['98', '1']]) });
const B = venue('okx', { asks: levels([['100.5', '0.5'], ['102', '5']]), bids: levels([['99.5', '0.5'], ['97', '5']]) });

describe('the smart order router', () => {
  it('splits a buy across venues in order of effective price, each leg limited to the worst level it reaches', () => {
    const plan = routeOrder(request({ amount: d('2') }), [A, B]);
    expect(legsOf(plan)).toEqual([
      { venue: 'binance', quantity: '1.5', limitPrice: '101' },
      { venue: 'okx', quantity: '0.5', limitPrice: '100.5' },
    ]);
    const notional = d('100').plus(d('101').times('0.5')).plus(d('100.5').times('0.5'));
    expect(plan.totalExpectedCost.toString()).toBe(notional.times('1.001').toString());
    expect(plan.legs[0]!.expectedAveragePrice.toString()).toBe(d('150.5').div('1.5').toString());
    expect(plan.unroutedAmount.toString()).toBe('0');
    expect(plan.arrivalMid?.toString()).toBe('99.75');
  });

  it('sells to the highest effective bids first, with proceeds as negative cost', () => {
    const plan = routeOrder(request({ side: 'SELL', amount: d('1') }), [A, B]);
    expect(legsOf(plan)).toEqual([
      { venue: 'binance', quantity: '0.5', limitPrice: '99' },
      { venue: 'okx', quantity: '0.5', limitPrice: '99.5' },
    ]);
    expect(plan.totalExpectedCost.toString()).toBe(d('99').times('0.5').plus(d('99.5').times('0.5')).times('-0.999').toString());
  });

  it('lets a higher fee push flow to the other venue', () => {
    const expensive = { ...B, takerFee: d('0.01') };
    const plan = routeOrder(request({ amount: d('1.5') }), [A, expensive]);
    expect(legsOf(plan)).toEqual([{ venue: 'binance', quantity: '1.5', limitPrice: '101' }]);
    expect(reasonOf(plan, 'okx')).toMatch(/^not needed: best effective price 101\.505 is worse/);
  });

  it('prices latency, staleness and error rates as penalties in bps of notional', () => {
    const slow = { ...B, condition: { ...B.condition, latencyP50Ms: 200, bookStalenessMs: 1000, errorRate: d('0.02'), rejectRate: d('0') } };
    const plan = routeOrder(request({ amount: d('0.5') }), [slow]);
    const leg = plan.legs[0]!;
    const notional = d('50.25');
    expect(leg.latencyPenalty.toString()).toBe(notional.times('0.0002').toString()); // 200 ms x 0.01 bp
    expect(leg.stalenessPenalty.toString()).toBe(notional.times('0.0002').toString()); // 1 s x 2 bp
    expect(leg.healthPenalty.toString()).toBe(notional.times('0.0001').toString()); // 2 % x 50 bp
  });

  it('never routes to a DEGRADED or DOWN venue, nor to a stale book, and says why', () => {
    const degraded = { ...A, condition: { ...A.condition, state: 'DEGRADED' as const, reason: 'error rate 0.3 > 0.1' } };
    const down = { ...A, venue: 'kraken', condition: { ...A.condition, state: 'DOWN' as const, reason: '' } };
    const stale = { ...A, venue: 'bybit', condition: { ...A.condition, bookStalenessMs: 12_000 } };
    const plan = routeOrder(request({ amount: d('1') }), [degraded, down, stale, B]);
    expect(plan.legs.map((leg) => leg.venue)).toEqual(['okx']);
    expect(reasonOf(plan, 'binance')).toBe('venue DEGRADED: error rate 0.3 > 0.1');
    expect(reasonOf(plan, 'kraken')).toBe('venue DOWN');
    expect(reasonOf(plan, 'bybit')).toBe('book stale 12000 ms > 5000 ms');
    expect(plan.candidates.filter((candidate) => candidate.chosen).map((candidate) => candidate.venue)).toEqual(['okx']);
  });

  it('rounds legs to lots and drops a leg under min notional, re-splitting the amount', () => {
    const lotA = { ...A, rules: rules({ quantityStep: '0.1' }) };
    const tiny = venue('okx', { asks: levels([['99', '0.05'], ['103', '10']]) }, { rules: rules({ quantityStep: '0.01', minNotional: '10' }) });
    const plan = routeOrder(request({ amount: d('1.25') }), [lotA, tiny]);
    // okx's 0.05 at 99 is only 4.95 USDT: below its min notional, so it is dropped and binance takes what its lot allows.
    expect(reasonOf(plan, 'okx')).toBe('leg notional 4.95 below min notional 10');
    expect(legsOf(plan)).toEqual([{ venue: 'binance', quantity: '1.2', limitPrice: '101' }]);
    expect(plan.unroutedAmount.toString()).toBe('0.05');
  });

  it('caps a buy by the quote balance (fees included) and a sell by the base balance', () => {
    const poor = { ...A, available: d('150.15'), rules: rules({ quantityStep: '0.01' }) };
    const buy = routeOrder(request({ amount: d('2') }), [poor]);
    // 100 x 1 x 1.001 = 100.1 leaves 50.05 = 0.4955... x 101 x 1.001: 0.49 after the lot.
    expect(legsOf(buy)).toEqual([{ venue: 'binance', quantity: '1.49', limitPrice: '101' }]);
    const sell = routeOrder(request({ side: 'SELL', amount: d('2') }), [{ ...A, available: d('0.3') }]);
    expect(legsOf(sell)).toEqual([{ venue: 'binance', quantity: '0.3', limitPrice: '99' }]);
  });

  it('IOC takes only what is within the limit now; FOK sends nothing unless everything is', () => {
    const ioc = routeOrder(request({ amount: d('3'), limitPrice: d('100.5') }), [A, B]);
    expect(legsOf(ioc)).toEqual([
      { venue: 'binance', quantity: '1', limitPrice: '100' },
      { venue: 'okx', quantity: '0.5', limitPrice: '100.5' },
    ]);
    expect(ioc.unroutedAmount.toString()).toBe('1.5');
    const fok = routeOrder(request({ amount: d('3'), limitPrice: d('100.5'), timeInForce: 'FOK' }), [A, B]);
    expect(fok.legs).toEqual([]);
    expect(reasonOf(fok, 'binance')).toBe('FOK: only 1.5 of 3 available within the limit; nothing sent');
    const fits = routeOrder(request({ amount: d('1.5'), limitPrice: d('100.5'), timeInForce: 'FOK' }), [A, B]);
    expect(fits.routedQuantity.toString()).toBe('1.5');
  });

  it('rests the rest of a GTC limit order at the venue with the best maker price, on its tick', () => {
    const cheapMaker = { ...B, makerFee: d('-0.0001'), rules: rules({ priceTick: '0.5' }) };
    const plan = routeOrder(request({ amount: d('3'), limitPrice: d('100.7'), timeInForce: 'GTC' }), [A, cheapMaker]);
    expect(legsOf(plan)).toEqual([
      { venue: 'binance', quantity: '1', limitPrice: '100' },
      { venue: 'okx', quantity: '2', limitPrice: '100.5' },
    ]);
    expect(plan.legs[1]!.restingQuantity.toString()).toBe('1.5');
    expect(reasonOf(plan, 'okx')).toBe('chosen: takes 0.5, rests 1.5 at 100.5; limit 100.5');
  });

  it('spends a quote amount by walking the books by notional', () => {
    const plan = routeOrder(request({ amount: d('150.25'), amountType: 'QUOTE' }), [A, B]);
    expect(legsOf(plan)).toEqual([
      { venue: 'binance', quantity: '1', limitPrice: '100' },
      { venue: 'okx', quantity: '0.5', limitPrice: '100.5' },
    ]);
    expect(plan.unroutedAmount.toString()).toBe('0');
  });

  it('rests a post-only order whole at the best maker venue and never where it would cross', () => {
    const crossing = routeOrder(request({ amount: d('1'), limitPrice: d('100.2'), postOnly: true, timeInForce: 'GTC' }), [A, B]);
    expect(legsOf(crossing)).toEqual([{ venue: 'okx', quantity: '1', limitPrice: '100.2' }]);
    expect(reasonOf(crossing, 'binance')).toBe('post-only would cross: best ask 100 against limit 100.2');
    const both = routeOrder(request({ amount: d('1'), limitPrice: d('99.9'), postOnly: true, timeInForce: 'GTC' }), [A, { ...B, makerFee: d('0') }]);
    expect(legsOf(both)).toEqual([{ venue: 'okx', quantity: '1', limitPrice: '99.9' }]);
    expect(reasonOf(both, 'binance')).toMatch(/^post-only rests at one venue/);
    const everywhere = routeOrder(request({ amount: d('1'), limitPrice: d('101'), postOnly: true, timeInForce: 'GTC' }), [A, B]);
    expect(everywhere.legs).toEqual([]);
    const emptyAsks = venue('kraken', { bids: levels([['90', '1']]) });
    const alone = routeOrder(request({ amount: d('1'), limitPrice: d('101'), postOnly: true, timeInForce: 'GTC' }), [emptyAsks]);
    expect(legsOf(alone)).toEqual([{ venue: 'kraken', quantity: '1', limitPrice: '101' }]);
  });

  it('numbers legs from firstLeg and writes a RouteDecision that satisfies its schema', () => {
    const plan = routeOrder(request({ amount: d('2') }), [A, B], undefined, 4);
    expect(plan.legs.map((leg) => leg.leg)).toEqual([4, 5]);
    const decision = toRouteDecision(plan, intentMessage('i1', { amount: '2' }), 'USDT', 1_700_000_000_000);
    expect(contractViolations(RouteDecisionSchema, decision)).toEqual([]);
    expect(decision.candidates.map((candidate) => candidate.chosen)).toEqual([true, true]);
  });
});

describe('accounts that trade on one venue', () => {
  const accountLegs = (plan: RoutePlan) => plan.legs.map((leg) => `${leg.venue}/${leg.account} ${leg.quantity} limit ${leg.limitPrice}`);

  it('draw from one book: the 1 BTC at the best ask is planned once, not once per account', () => {
    const book = { asks: levels([['100', '1'], ['102', '5']]) };
    const first = venue('binance', book, { account: 'bn-1' });
    const second = venue('binance', book, { account: 'bn-2' });
    const other = venue('okx', { asks: levels([['101', '5']]) });
    const plan = routeOrder(request({ amount: d('2') }), [first, second, other]);
    expect(accountLegs(plan)).toEqual(['binance/bn-1 1 limit 100', 'okx/main 1 limit 101']);
    expect(plan.totalExpectedCost.toString()).toBe(d('201').times('1.001').toString());
    expect(plan.candidates.find((candidate) => candidate.account === 'bn-2')!.chosen).toBe(false);
  });

  it('give the best levels to the account cheapest after fees, and to the other only what remains', () => {
    const book = { asks: levels([['100', '1'], ['101', '1']]) };
    const dear = venue('binance', book, { account: 'dear', takerFee: d('0.002'), rules: rules({ quantityStep: '0.01' }) });
    // 100.1 pays for exactly 1 at 100 with its 0.1 % fee.
    const cheap = venue('binance', book, { account: 'cheap', takerFee: d('0.001'), available: d('100.1'), rules: rules({ quantityStep: '0.01' }) });
    const plan = routeOrder(request({ amount: d('1.5') }), [dear, cheap]);
    expect(accountLegs(plan)).toEqual(['binance/dear 0.5 limit 101', 'binance/cheap 1 limit 100']);
    expect(plan.legs[0]!.expectedNotional.toString()).toBe('50.5');
    // An account that may not trade takes no part of the book: the other starts from the top.
    const halted = routeOrder(request({ amount: d('1.5') }), [dear, { ...cheap, excludedBecause: 'cancel-all in force on binance/cheap' }]);
    expect(accountLegs(halted)).toEqual(['binance/dear 1.5 limit 101']);
    expect(halted.legs[0]!.expectedNotional.toString()).toBe('150.5');
  });
});

import { describe, expect, it } from 'vitest';
import { intentMessage } from '../intents/intentFixtures.ts';
import { MarketView } from './MarketView.ts';
import { oneLevelBook, spotMarket } from '../execution/executionFixtures.ts';
import { routeIntent } from './routeIntent.ts';

/** binance is the cheaper venue, okx the other one; each offers 1 BTC. */
function market(): MarketView {
  const view = new MarketView([
    { venue: 'binance', account: 'main' },
    { venue: 'okx', account: 'main' },
  ]);
  for (const venue of ['binance', 'okx']) view.applyMarket(spotMarket(venue));
  view.applyBook(oneLevelBook('binance', { price: '100', quantity: '1' }, { price: '99', quantity: '1' }));
  view.applyBook(oneLevelBook('okx', { price: '101', quantity: '1' }, { price: '99', quantity: '1' }));
  return view;
}

const reasons = (decision: ReturnType<typeof routeIntent>) => Object.fromEntries(decision.candidates.map((candidate) => [candidate.venue, candidate.reason]));

describe('routeIntent', () => {
  it('keeps a venue a re-route avoids out of the legs, and says so in the candidates', () => {
    const reroute = intentMessage('i1', { amount: '0.5' }, { action: 'REROUTE', avoidVenues: ['binance'] });
    const decision = routeIntent(reroute, market(), Date.now());
    expect(decision.legs.map((leg) => `${leg.venue} ${leg.quantity}`)).toEqual(['okx 0.5']);
    expect(reasons(decision).binance).toBe('avoided: a leg of this intent failed there');
  });

  it('sends nothing to a venue under cancel-all, except the flatten orders that close it', () => {
    const halts = [{ scope: 'VENUE' as const, venue: 'binance' }];
    const order = intentMessage('i2', { amount: '0.5' });
    expect(routeIntent(order, market(), Date.now(), undefined, halts).legs.map((leg) => leg.venue)).toEqual(['okx']);
    expect(reasons(routeIntent(order, market(), Date.now(), undefined, halts)).binance).toBe('cancel-all in force on binance/main');
    const flatten = intentMessage('i3', { amount: '0.5' }, { venues: ['binance'], flattens: true });
    expect(routeIntent(flatten, market(), Date.now(), undefined, halts).legs.map((leg) => leg.venue)).toEqual(['binance']);
  });

  it('routes no legs for a TARGET_POSITION: its decision carries it to the execution side, which asks for its trades', () => {
    const target = intentMessage('t1', {}, { kind: 'TARGET_POSITION', order: null, targetQuantity: '-0.5' });
    const decision = routeIntent(target, market(), Date.now());
    expect(decision).toMatchObject({ intentId: 't1', side: null, quantity: '0', legs: [], candidates: [], conversion: null, intent: target });
  });

  describe('a PLACE in the quote currency', () => {
    it('records the base amount it stands for at the price of its legs', () => {
      const decision = routeIntent(intentMessage('q1', { amount: '150.5', amountType: 'QUOTE' }), market(), Date.now());
      expect(decision.legs.map((leg) => `${leg.venue} ${leg.quantity}`)).toEqual(['binance 1', 'okx 0.5']);
      // 150.5 USDT for 1.5 BTC: 100.333… a BTC.
      expect(decision.conversion).toEqual({ quoteAmount: '150.5', price: '100.333333333333333333', baseAmount: '1.5' });
    });

    it('adds what the books could not take, at that price and in whole lots', () => {
      const decision = routeIntent(intentMessage('q2', { amount: '500', amountType: 'QUOTE' }), market(), Date.now());
      // 2 BTC routed for 201 USDT; 299 USDT left at 100.5 is 2.975124… BTC, 2.975 in lots of 0.001.
      expect(decision.conversion).toEqual({ quoteAmount: '500', price: '100.5', baseAmount: '4.975' });
    });

    it('converts at the best mid when nothing could be routed, and not at all without a price', () => {
      const limited = routeIntent(intentMessage('q3', { amount: '99', amountType: 'QUOTE', limitPrice: '50', timeInForce: 'IOC' }), market(), Date.now());
      expect(limited.legs).toEqual([]);
      expect(limited.conversion).toEqual({ quoteAmount: '99', price: '99.5', baseAmount: '0.994' });
      const empty = new MarketView([{ venue: 'binance', account: 'main' }]);
      expect(routeIntent(intentMessage('q4', { amount: '99', amountType: 'QUOTE' }), empty, Date.now()).conversion).toBeNull();
    });

    it('is not converted again by a MODIFY or a re-route, nor for a BASE amount', () => {
      expect(routeIntent(intentMessage('q5', { amount: '150', amountType: 'QUOTE' }, { action: 'MODIFY' }), market(), Date.now()).conversion).toBeNull();
      expect(routeIntent(intentMessage('q6', { amount: '1' }), market(), Date.now()).conversion).toBeNull();
    });
  });
});

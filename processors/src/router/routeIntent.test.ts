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
});

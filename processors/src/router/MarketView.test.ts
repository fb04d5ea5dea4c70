import {
  BalanceSnapshotSchema,
  BookSnapshotSchema,
  Decimal,
  RouteDecisionSchema,
  SymbolMetadataSchema,
  VenueHealthSchema,
  type BalanceSnapshot,
  type BookSnapshot,
  type RouteDecision,
  type SymbolMetadata,
  type VenueHealth,
} from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { MarketView } from './MarketView.ts';
import { OWN_TAKE_SETTLE_MS } from './OwnTakes.ts';
import { routeOrder } from './routeOrder.ts';
import { request } from './venueFixtures.ts';

function example<T>(schema: unknown): T {
  return EXAMPLES.find((candidate) => candidate.schema === schema)!.value as T;
}

const NOW = 1_700_000_010_000;

function book(venue: string, asks: [string, string][], receivedAtMs = NOW - 100): BookSnapshot {
  return { ...example<BookSnapshot>(BookSnapshotSchema), venue, instrument: 'BTC/USDT', bids: [{ price: '90', quantity: '1' }], asks: asks.map(([price, quantity]) => ({ price, quantity })), receivedAtMs };
}

function market(venue: string, takerFee: string | null): SymbolMetadata {
  return {
    ...example<SymbolMetadata>(SymbolMetadataSchema),
    venue,
    instrument: 'BTC/USDT',
    venueSymbol: 'BTCUSDT',
    assetType: 'SPOT',
    base: 'BTC',
    quote: 'USDT',
    settle: null,
    contractSize: null,
    inverse: false,
    expiryMs: null,
    strike: null,
    optionKind: null,
    active: true,
    quantityStep: '0.001',
    priceTick: '0.01',
    minQuantity: null,
    maxQuantity: null,
    maxMarketQuantity: null,
    minNotional: '5',
    maxNotional: null,
    minPrice: null,
    maxPrice: null,
    takerFee,
    makerFee: takerFee,
  };
}

function health(venue: string, account: string | null, state: VenueHealth['state'], reason = ''): VenueHealth {
  return { ...example<VenueHealth>(VenueHealthSchema), venue, account, state, reason, bookStalenessMs: 50, errorRate: '0', rejectRate: '0', latencyP50Ms: 100 };
}

function balances(venue: string, account: string, usdt: string, complete = true): BalanceSnapshot {
  return { ...example<BalanceSnapshot>(BalanceSnapshotSchema), venue, account, complete, balances: [{ asset: 'USDT', free: usdt, locked: '0', total: usdt }] };
}

describe('the market view', () => {
  it('offers every known account of every venue with a book and rules, with its fees, balance and health', () => {
    const view = new MarketView([{ venue: 'okx', account: 'okx-1' }]);
    view.applyBook(book('binance', [['100', '1']]));
    view.applyBook(book('okx', [['100.5', '1']], NOW - 7000));
    view.applyBook(book('kraken', [['99', '1']]));
    view.applyMarket(market('binance', '0.001'));
    view.applyMarket(market('okx', null));
    view.applyBalances(balances('binance', 'bn-1', '1000'));
    view.applyBalances(balances('binance', 'bn-2', '20'));
    view.applyHealth(health('binance', null, 'HEALTHY'));
    view.applyHealth(health('binance', 'bn-2', 'DEGRADED', 'user stream stale'));

    const candidates = view.candidates('BTC/USDT', 'BUY', NOW);
    // kraken has no rules yet: not offered.
    expect(candidates.map((candidate) => `${candidate.venue}/${candidate.account}`)).toEqual(['okx/okx-1', 'binance/bn-1', 'binance/bn-2']);
    const [okx, bn1, bn2] = candidates;
    expect(okx).toMatchObject({ available: null, condition: { state: 'HEALTHY', bookStalenessMs: 7000 } });
    expect(okx!.takerFee.toString()).toBe('0.001');
    expect(bn1!.available?.toString()).toBe('1000');
    expect(bn1!.condition).toMatchObject({ state: 'HEALTHY', latencyP50Ms: 100, bookStalenessMs: 100 });
    expect(bn2!.condition).toMatchObject({ state: 'DEGRADED', reason: 'user stream stale' });

    const plan = routeOrder(request({ amount: new Decimal('1.5') }), candidates);
    expect(plan.legs.map((leg) => `${leg.venue}/${leg.account} ${leg.quantity}`)).toEqual(['binance/bn-1 1']);
    expect(plan.candidates.find((candidate) => candidate.venue === 'okx')!.reason).toBe('book stale 7000 ms > 5000 ms');
  });

  it('routes a linear contract of any size (its metadata and book in the base asset: OKX BTC-USDT-SWAP, 0.01 BTC a contract) and leaves out an inverse one, with the reason', () => {
    const view = new MarketView();
    // As the connector publishes them: quantity rules in BTC (lotSz 1 contract = 0.01 BTC), the contract size beside them.
    const perpetual = (venue: string, contractSize: string, quantityStep: string, inverse = false): SymbolMetadata => ({ ...market(venue, '0.0005'), assetType: 'PERP', settle: inverse ? 'BTC' : 'USDT', contractSize, inverse, quantityStep, minQuantity: quantityStep });
    for (const venue of ['okx', 'binanceusdm', 'deribit']) view.applyBook(book(venue, [['100', '1.5']]));
    view.applyMarket(perpetual('okx', '0.01', '0.01'));
    view.applyMarket(perpetual('binanceusdm', '1', '0.001'));
    view.applyMarket(perpetual('deribit', '10', '1', true));
    view.applyBalances(balances('okx', 'okx-1', '100000'));
    view.applyBalances(balances('binanceusdm', 'usdm-1', '100000'));
    view.applyBalances(balances('deribit', 'deribit-1', '100000'));

    const plan = routeOrder(request({ amount: new Decimal('2.005') }), view.candidates('BTC/USDT', 'BUY', NOW));
    // 1.5 BTC on each book: the OKX leg in BTC, in whole 0.01 BTC lots (150 contracts at the venue);
    // the 0.005 BTC no OKX lot takes goes where lots are 0.001.
    expect(plan.legs.map((leg) => `${leg.venue} ${leg.quantity}`).sort()).toEqual(['binanceusdm 0.505', 'okx 1.5']);
    const reasons = Object.fromEntries(plan.candidates.map((candidate) => [candidate.venue, candidate.reason]));
    expect(reasons.okx).toBe('chosen: takes 1.5; limit 100');
    expect(reasons.deribit).toBe('inverse contract (10 USDT a contract): not routed, its size is not a BTC quantity');
  });

  it('merges a balance update into the last snapshot and refuses a book that is not best first', () => {
    const view = new MarketView();
    view.applyBook(book('binance', [['100', '1']]));
    view.applyMarket(market('binance', '0.001'));
    view.applyBalances({ ...balances('binance', 'bn-1', '50'), balances: [{ asset: 'BTC', free: '2', locked: '0', total: '2' }, { asset: 'USDT', free: '50', locked: '0', total: '50' }] });
    view.applyBalances(balances('binance', 'bn-1', '75', false));
    expect(view.candidates('BTC/USDT', 'SELL', NOW)[0]!.available?.toString()).toBe('2');
    expect(view.candidates('BTC/USDT', 'BUY', NOW)[0]!.available?.toString()).toBe('75');
    expect(() => view.applyBook(book('binance', [['101', '1'], ['100', '1']]))).toThrow(/levels must be best first/);
  });

  describe("the router's own takes", () => {
    const ASKS: [string, string][] = [['100', '1'], ['101', '2'], ['102', '5']];
    const asksOf = (view: MarketView) => view.candidates('BTC/USDT', 'BUY', NOW)[0]!.asks.map((level) => `${level.price.toFixed()}:${level.quantity.toFixed()}`);
    const decision = (legs: Array<{ quantity: string; limitPrice: string | null }>, postOnly = false): RouteDecision => {
      const example_ = example<RouteDecision>(RouteDecisionSchema);
      return {
        ...example_,
        instrument: 'BTC/USDT',
        side: 'BUY',
        decidedAtMs: NOW,
        intent: { ...example_.intent!, order: { ...example_.intent!.order!, postOnly } },
        legs: legs.map((leg, i) => ({ leg: i, venue: 'binance', account: 'bn-1', expectedAveragePrice: '100', expectedFee: '0', ...leg })),
      };
    };
    const viewWith = (book_: BookSnapshot) => {
      const view = new MarketView([{ venue: 'binance', account: 'bn-1' }]);
      view.applyMarket(market('binance', '0.001'));
      view.applyBook(book_);
      return view;
    };

    it('leaves what its legs took out of the book until a book received after they settle', () => {
      const view = viewWith(book('binance', ASKS));
      view.applyDecision(decision([{ quantity: '1.5', limitPrice: '101' }, { quantity: '4', limitPrice: '101' }]));
      // 1.5 empties 100 and takes 0.5 at 101; the second leg finds 1.5 left within its limit.
      expect(asksOf(view)).toEqual(['102:5']);
      view.applyBook(book('binance', ASKS, NOW + OWN_TAKE_SETTLE_MS - 1));
      expect(asksOf(view)).toEqual(['102:5']);
      view.applyBook(book('binance', ASKS, NOW + OWN_TAKE_SETTLE_MS));
      expect(asksOf(view)).toEqual(['100:1', '101:2', '102:5']);
    });

    it('leaves out each further decision from the book as already worked out for the last route', () => {
      const view = viewWith(book('binance', ASKS));
      view.applyDecision(decision([{ quantity: '0.5', limitPrice: '100' }]));
      expect(asksOf(view)).toEqual(['100:0.5', '101:2', '102:5']);
      view.applyDecision(decision([{ quantity: '1', limitPrice: null }]));
      expect(asksOf(view)).toEqual(['101:1.5', '102:5']);
      view.applyBook(book('binance', [['100', '3']], NOW + 10));
      expect(asksOf(view)).toEqual(['100:1.5']);
    });

    it('takes from the top for a leg without a limit, and nothing for a post-only order, which rests', () => {
      const market_ = viewWith(book('binance', ASKS));
      market_.applyDecision(decision([{ quantity: '2', limitPrice: null }]));
      expect(asksOf(market_)).toEqual(['101:1', '102:5']);
      const resting = viewWith(book('binance', ASKS));
      resting.applyDecision(decision([{ quantity: '2', limitPrice: '99' }], true));
      expect(asksOf(resting)).toEqual(['100:1', '101:2', '102:5']);
    });
  });
});

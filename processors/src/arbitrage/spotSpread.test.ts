import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { quoteMaker } from './makerQuote.ts';
import { spreadVenue } from './arbitrageFixtures.ts';
import { findSpotSpread, lotsOf, type SpreadLimits } from './spotSpread.ts';

const d = (value: string) => new Decimal(value);
const levels = (...pairs: Array<[string, string]>) => pairs.map(([price, quantity]) => ({ price, quantity }));

const venue = spreadVenue;

/** A's asks are cheaper than B's bids: 100 and 100.5 against 101 and 100.8. */
const A = venue('venue-a', { asks: levels(['100', '1'], ['100.5', '1']), bids: levels(['99', '1']) });
const B = venue('venue-b', { bids: levels(['101', '0.5'], ['100.8', '2']), asks: levels(['102', '1']), quantityStep: d('0.1') });
const LIMITS: SpreadLimits = { minEdgeBps: d('5'), maxQuantity: d('1.75'), openNotionalRoom: d('100000'), legSlippageBps: d('2') };

const figures = (found: ReturnType<typeof findSpotSpread>) =>
  found && {
    pair: `${found.buyVenue}>${found.sellVenue}`,
    quantity: found.quantity.toFixed(),
    buy: found.expectedBuyPrice.toDecimalPlaces(10).toFixed(),
    sell: found.expectedSellPrice.toDecimalPlaces(10).toFixed(),
    edge: found.expectedEdge.toFixed(),
    edgeBps: found.expectedEdgeBps.toFixed(),
    limits: [found.buyLimit.toFixed(), found.sellLimit.toFixed()],
  };

describe('findSpotSpread', () => {
  it('walks both books while the next unit earns minEdgeBps net of both taker fees, rounds to both lots, and prices the IOC limits', () => {
    // 0.5 @100 vs 101 (79.9 bps), 0.5 @100 vs 100.8 (59.92), then 100.5 vs 100.8 (9.82) up to maxQuantity 1.75,
    // rounded down to venue-b's lot of 0.1: 1 @100 + 0.7 @100.5 bought, 0.5 @101 + 1.2 @100.8 sold.
    expect(figures(findSpotSpread([A, B], LIMITS))).toEqual({
      pair: 'venue-a>venue-b',
      quantity: '1.7',
      buy: '100.2058823529',
      sell: '100.8588235294',
      // 171.46 × 0.999 − 170.35 × 1.001
      edge: '0.76819',
      edgeBps: '45.0948',
      // 100.5 + 2 bps = 100.5201 → 100.52 on the tick; 100.8 − 2 bps = 100.77984 → 100.78.
      limits: ['100.52', '100.78'],
    });
  });

  it('stops at the level whose marginal edge falls below minEdgeBps', () => {
    // 100.5 against 100.8 earns 9.82 bps: a 10 bps floor leaves it out.
    expect(figures(findSpotSpread([A, B], { ...LIMITS, minEdgeBps: d('10') }))?.quantity).toBe('1');
    expect(findSpotSpread([A, B], { ...LIMITS, minEdgeBps: d('80') })).toBeNull();
  });

  it('caps by the quote the buy venue affords at its IOC limit with the fee, the base the sell venue holds, inventory room and open notional', () => {
    // 1.7 would lock 1.7 × 100.52 × 1.001; 101 USDT affords 1.0037 at that limit → 1 (lot 0.1), whose limits are 100.02 and 100.78.
    const poor = figures(findSpotSpread([{ ...A, quoteFree: d('101') }, B], LIMITS));
    expect([poor?.quantity, poor?.limits]).toEqual(['1', ['100.02', '100.78']]);
    expect(figures(findSpotSpread([A, { ...B, baseFree: d('0.66') }], LIMITS))?.quantity).toBe('0.6');
    expect(figures(findSpotSpread([{ ...A, inventoryRoom: { buy: d('0.3'), sell: d('10') } }, B], LIMITS))?.quantity).toBe('0.3');
    expect(figures(findSpotSpread([A, { ...B, inventoryRoom: { buy: d('10'), sell: d('0.45') } }], LIMITS))?.quantity).toBe('0.4');
    // 50 USDT of notional room buys 0.5 at 100.
    expect(figures(findSpotSpread([A, B], { ...LIMITS, openNotionalRoom: d('50') }))?.quantity).toBe('0.5');
  });

  it('refuses a quantity under either venue\'s minimum quantity or notional', () => {
    expect(findSpotSpread([A, { ...B, minQuantity: d('2') }], LIMITS)).toBeNull();
    expect(findSpotSpread([{ ...A, minNotional: d('200') }, B], LIMITS)).toBeNull();
  });

  it('chooses the pair with the largest expected edge among several venues, either direction', () => {
    const C = venue('venue-c', { asks: levels(['99', '0.2']), bids: levels(['98', '1']) });
    const found = figures(findSpotSpread([A, B, C], LIMITS));
    // Buying C's 0.2 at 99 and selling at B's 101 earns less in total than A's 1.7, which wins.
    expect(found?.pair).toBe('venue-a>venue-b');
    const onlyC = figures(findSpotSpread([C, B], LIMITS));
    expect([onlyC?.pair, onlyC?.quantity, onlyC?.edge]).toEqual(['venue-c>venue-b', '0.2', '0.36']);
    expect(findSpotSpread([B, venue('venue-d', { asks: levels(['101.5', '1']), bids: levels(['100.7', '1']) })], LIMITS)).toBeNull();
  });

  it('rounds to a quantity every lot divides', () => {
    expect(lotsOf(d('1.75'), [d('0.01'), d('0.1')]).toFixed()).toBe('1.7');
    expect(lotsOf(d('1'), [d('0.3'), d('0.7')]).toFixed()).toBe('0');
    expect(lotsOf(d('2.2'), [d('0.3'), d('0.7'), null]).toFixed()).toBe('2.1');
  });
});

describe('quoteMaker', () => {
  const maker = { ...venue('venue-a', { bids: levels(['99.9', '1']), asks: levels(['100.2', '1']) }), makerFee: d('0.001') };
  const taker = venue('venue-b', { bids: levels(['101', '1']), asks: levels(['101.5', '1']) });
  const limits = { ...LIMITS, maxQuantity: d('0.2') };

  it('bids as high as the hedge at the taker venue allows for minEdgeBps, but one tick under the maker book\'s ask (post-only)', () => {
    // 101 × 0.999 / 1.0015 = 100.7478…: above the ask of 100.2, so 100.19.
    const quote = quoteMaker(maker, [taker], limits)!;
    expect([quote.makerSide, quote.makerPrice.toFixed(), quote.takerVenue, quote.quantity.toFixed(), quote.expectedEdge.toFixed(), quote.expectedEdgeBps.toFixed()]).toEqual(['BUY', '100.19', 'venue-b', '0.2', '0.121762', '60.7655']);
    expect([quote.buyVenue, quote.sellVenue, quote.expectedBuyPrice.toFixed(), quote.expectedSellPrice.toFixed()]).toEqual(['venue-a', 'venue-b', '100.19', '101']);
  });

  it('asks at the least price that keeps the edge when only selling on the maker venue pays, and only at or inside the best ask there', () => {
    // Only the taker's ask of 101.5 is usable: 101.5 × 1.0015 / 0.999 = 101.754… → 101.76 on the tick.
    const highAsk = { ...maker, asks: levels(['102', '1']) };
    const quote = quoteMaker(highAsk, [{ ...taker, bids: [] }], limits)!;
    expect([quote.makerSide, quote.makerPrice.toFixed(), quote.expectedEdge.toFixed(), quote.buyVenue, quote.sellVenue]).toEqual(['SELL', '101.76', '0.011348', 'venue-b', 'venue-a']);
    // Behind the maker book's best ask (100.2) the order would only rest: no quote.
    expect(quoteMaker(maker, [{ ...taker, bids: [] }], limits)).toBeNull();
    expect(quoteMaker({ ...highAsk, baseFree: d('0') }, [{ ...taker, bids: [] }], limits)).toBeNull();
  });
});

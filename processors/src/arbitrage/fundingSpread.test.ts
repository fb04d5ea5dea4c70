import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { spreadVenue } from './arbitrageFixtures.ts';
import { closingPlan, findFundingEntry, type FundingLimits, type FundingSide } from './fundingSpread.ts';

const d = (value: string) => new Decimal(value);
const levels = (...pairs: Array<[string, string]>) => pairs.map(([price, quantity]) => ({ price, quantity }));
const DAY_MS = 86_400_000;

/** A place with 100,000 quote free and no funding unless given. */
function side(name: string, overrides: Partial<FundingSide>): FundingSide {
  return { ...spreadVenue(name, { quoteFree: d('100000') }), longApr: d('0'), ...overrides };
}

/** Spot quotes 99.9 / 100; the perpetual 100.05 / 100.15 with longs paying 50 % a year. */
const SPOT = side('spot', { asks: levels(['100', '1'], ['100.1', '1']), bids: levels(['99.9', '1'], ['99.8', '1']) });
const PERP = side('perp', { asks: levels(['100.15', '1'], ['100.2', '1']), bids: levels(['100.05', '1'], ['100', '1']), takerFee: d('0.0005'), baseFree: d('Infinity'), longApr: d('0.5') });
const LIMITS: FundingLimits = { minEdgeBps: d('5'), maxQuantity: d('1.5'), openNotionalRoom: d('100000'), legSlippageBps: d('2'), entryApr: d('0.2'), holdMs: 7 * DAY_MS };

describe('findFundingEntry', () => {
  it('goes long spot and short the perpetual that pays, walking both books, and counts the funding over the hold against the round trip', () => {
    const entry = findFundingEntry([SPOT, PERP], LIMITS)!;
    expect([entry.buyVenue, entry.sellVenue, entry.quantity.toFixed()]).toEqual(['spot', 'perp', '1.5']);
    expect(entry.apr.toFixed()).toBe('0.5');
    // In: 1 @100 + 0.5 @100.1 = 150.05 bought, 1 @100.05 + 0.5 @100 = 150.05 sold: 150.05 × 0.9995 − 150.05 × 1.001.
    expect(entry.expectedEdge.toFixed()).toBe('-0.225075');
    // Out at today's books: spot sold 1 @99.9 + 0.5 @99.8 = 149.8, perpetual bought back 1 @100.15 + 0.5 @100.2 = 150.25.
    expect(entry.exitEdge.toFixed()).toBe('-0.674925');
    // 150.05 of short notional × 50 % a year × 7 days.
    expect(entry.expectedFunding.toDecimalPlaces(10).toFixed()).toBe('1.4388356164');
    // (−0.225075 − 0.674925 + 1.43883…) / 150.05.
    expect(entry.netEdgeBps.toFixed()).toBe('35.9104');
    // The IOC limits: 100.1 + 2 bps on the tick down, 100 − 2 bps on the tick up.
    expect([entry.buyLimit.toFixed(), entry.sellLimit.toFixed()]).toEqual(['100.12', '99.98']);
  });

  it('opens nothing below entryApr, or when the funding over the hold does not pay the round trip', () => {
    expect(findFundingEntry([SPOT, PERP], { ...LIMITS, entryApr: d('0.51') })).toBeNull();
    // One day of 50 % a year is 13.7 bps: less than the 60 bps the round trip costs.
    expect(findFundingEntry([SPOT, PERP], { ...LIMITS, holdMs: DAY_MS })).toBeNull();
  });

  it('shorts the spot side only with base to sell: longs receiving funding on the perpetual, the spot held is sold against it', () => {
    const receiving = { ...PERP, longApr: d('-0.5') };
    expect(findFundingEntry([{ ...SPOT, baseFree: d('0') }, receiving], LIMITS)).toBeNull();
    const entry = findFundingEntry([{ ...SPOT, baseFree: d('1') }, receiving], LIMITS)!;
    expect([entry.buyVenue, entry.sellVenue, entry.quantity.toFixed(), entry.apr.toFixed()]).toEqual(['perp', 'spot', '1', '0.5']);
  });

  it('between two perpetuals, goes long where longs pay less and short where they pay more: the differential is the difference', () => {
    const dear = { ...PERP, venue: 'perp-dear', longApr: d('0.6') };
    const cheap = { ...PERP, venue: 'perp-cheap', longApr: d('0.05'), bids: levels(['100', '2']), asks: levels(['100.1', '2']) };
    const entry = findFundingEntry([dear, cheap], LIMITS)!;
    expect([entry.buyVenue, entry.sellVenue, entry.apr.toFixed()]).toEqual(['perp-cheap', 'perp-dear', '0.55']);
    // Not when both pay alike.
    expect(findFundingEntry([dear, { ...cheap, longApr: d('0.5') }], LIMITS)).toBeNull();
  });
});

describe('closingPlan', () => {
  it('buys the short side back and sells the long side at any edge, bounded only by the quantity and the books', () => {
    const plan = closingPlan({ ...SPOT, baseFree: d('0'), quoteFree: d('0') }, PERP, d('1.5'), d('2'))!;
    expect([plan.buyVenue, plan.sellVenue, plan.quantity.toFixed(), plan.expectedEdge.toFixed()]).toEqual(['perp', 'spot', '1.5', '-0.674925']);
    expect([plan.buyLimit.toFixed(), plan.sellLimit.toFixed()]).toEqual(['100.22', '99.79']);
    // More than the books hold: what they hold.
    expect(closingPlan(SPOT, PERP, d('3'), d('2'))!.quantity.toFixed()).toBe('2');
  });
});

import { TOPICS, type Fill, type RouteDecision } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { FillSlippage } from './FillSlippage.ts';

const example = <T>(schema: unknown) => structuredClone(EXAMPLES.find((e) => e.schema === schema)!.value) as T;
const decision = example<RouteDecision>(TOPICS.routeDecisions.schema);
const fill = example<Fill>(TOPICS.fills.schema);
const leg = decision.legs[0]!;

describe('FillSlippage', () => {
  const measure = () => {
    const observed: Array<[string, number]> = [];
    return { observed, slippage: new FillSlippage({ fillSlippage: (venue, bps) => observed.push([venue, bps]) }) };
  };

  it('measures each fill against the quantity-weighted expected price of its intent’s first route decision, positive when worse', () => {
    const { observed, slippage } = measure();
    slippage.routeDecision({
      ...decision,
      side: 'BUY',
      legs: [
        { ...leg, venue: 'binance', quantity: '1', expectedAveragePrice: '100' },
        { ...leg, venue: 'okx', quantity: '3', expectedAveragePrice: '104' },
      ],
    });
    // A re-route's decision plans only the remainder: the arrival plan stays the reference.
    slippage.routeDecision({ ...decision, legs: [{ ...leg, quantity: '1', expectedAveragePrice: '200' }] });

    slippage.fill({ ...fill, venue: 'binance', side: 'BUY', price: '103.0309' });
    slippage.fill({ ...fill, venue: 'okx', side: 'BUY', price: '102.9691' });
    expect(observed).toEqual([
      ['binance', 3],
      ['okx', -3],
    ]);
  });

  it('turns the sign for a sell, and leaves out fills it has no expectation for', () => {
    const { observed, slippage } = measure();
    slippage.routeDecision({ ...decision, side: 'SELL', legs: [{ ...leg, quantity: '2', expectedAveragePrice: '50' }] });
    slippage.fill({ ...fill, side: 'SELL', price: '49.5' });
    slippage.fill({ ...fill, intentId: 'another-intent', price: '1' });
    slippage.fill({ ...fill, intentId: null, price: '1' });
    expect(observed).toEqual([['binance', 100]]);
  });
});

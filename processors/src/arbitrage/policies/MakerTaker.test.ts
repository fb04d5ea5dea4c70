import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { book, fakeEnvironment, fillOf, statusOf } from '../arbitrageFixtures.ts';
import type { MakerQuote } from '../makerQuote.ts';
import { RETRY_PAUSE_MS } from '../OrderGroup.ts';
import { MakerTaker } from './MakerTaker.ts';

/** Bid 0.2 at 100.5 on venue-a, hedged by selling on venue-b's bid of 101. */
const QUOTE: MakerQuote = {
  makerVenue: 'venue-a',
  takerVenue: 'venue-b',
  makerSide: 'BUY',
  makerPrice: new Decimal('100.5'),
  buyVenue: 'venue-a',
  sellVenue: 'venue-b',
  quantity: new Decimal('0.2'),
  expectedBuyPrice: new Decimal('100.5'),
  expectedSellPrice: new Decimal('101'),
  expectedEdge: new Decimal('0.0596'),
  expectedEdgeBps: new Decimal('29.6517'),
};
const TERMS = { restMs: 3_000, minEdgeBps: new Decimal('5'), legSlippageBps: new Decimal('2') };

async function resting() {
  const fake = fakeEnvironment([book('venue-b', [['101', '1']], [['101.5', '1']])]);
  const group = new MakerTaker('arb-group-3', QUOTE, { unwindMaxCostBps: new Decimal('20') }, fake.env, fake.clock.now, TERMS);
  await group.open();
  return { ...fake, group, maker: fake.placed[0]! };
}

const legs = (placed: ReturnType<typeof fakeEnvironment>['placed']) => placed.map(({ role, venue, side, quantity, limitPrice, timeInForce, postOnly }) => [role, venue, side, quantity.toFixed(), limitPrice.toFixed(), timeInForce, postOnly]);

describe('MakerTaker order group', () => {
  it('hedges every maker fill at once, a fill that arrives after the cancel was asked for too, and closes once all have ended', async () => {
    const { group, maker, placed, cancelled, published, clock } = await resting();
    expect(legs(placed)).toEqual([['ENTRY', 'venue-a', 'BUY', '0.2', '100.5', 'GTC', true]]);
    await group.onFill(fillOf(maker, '0.05', '100.5'));
    expect(legs(placed).slice(1)).toEqual([['HEDGE', 'venue-b', 'SELL', '0.05', '100.98', 'IOC', false]]);

    clock.now += 2_999;
    await group.poke();
    expect(cancelled).toEqual([]);
    clock.now += 1;
    await group.poke();
    expect(cancelled).toEqual([maker.intentId]);
    // The venue filled more before the cancel reached it: hedged all the same.
    await group.onFill(fillOf(maker, '0.1', '100.5'));
    expect(legs(placed).slice(2)).toEqual([['HEDGE', 'venue-b', 'SELL', '0.1', '100.98', 'IOC', false]]);
    await group.onStatus(statusOf(maker, 'CANCELED', '0.15'));
    await group.onFill(fillOf(placed[1]!, '0.05', '101'));
    await group.onStatus(statusOf(placed[1]!, 'DONE', '0.05'));
    expect(group.state).toBe('OPEN');
    await group.onFill(fillOf(placed[2]!, '0.1', '101'));
    await group.onStatus(statusOf(placed[2]!, 'DONE', '0.1'));

    expect(published.at(-1)).toMatchObject({ state: 'CAPTURED', policy: 'MAKER_TAKER', boughtQuantity: '0.15', soldQuantity: '0.15', residualQuantity: '0', realizedEdge: '0.075' });
    expect(published.at(-1)!.legs.map(({ role }) => role)).toEqual(['ENTRY', 'HEDGE', 'HEDGE']);
    expect(published.at(-1)!.reason).toMatch(/; maker cancelled: rested 3000 ms$/);
  });

  it('cancels the maker order as soon as the taker book leaves less than minEdgeBps, and is MISSED when nothing filled', async () => {
    const { group, maker, cancelled, published, newBook } = await resting();
    newBook('venue-b', book('venue-b', [['100.6', '1']], [['101.5', '1']]));
    await group.poke();
    expect(cancelled).toEqual([maker.intentId]);
    await group.onStatus(statusOf(maker, 'CANCELED', '0'));
    expect(published.at(-1)).toMatchObject({ state: 'MISSED', boughtQuantity: '0', soldQuantity: '0' });
    expect(published.at(-1)!.reason).toBe('entry buy on venue-a canceled with 0 of 0.2; maker cancelled: venue-b moved: -10.06 bps left, below 5');
  });

  it('unwinds on the maker venue what a hedge did not cover', async () => {
    const { group, maker, placed, published, clock } = await resting();
    await group.onFill(fillOf(maker, '0.1', '100.5'));
    await group.onStatus(statusOf(maker, 'CANCELED', '0.1'));
    await group.onStatus(statusOf(placed[1]!, 'EXPIRED', '0'));
    clock.now += RETRY_PAUSE_MS;
    await group.poke();
    expect(legs(placed).slice(2)).toEqual([['UNWIND', 'venue-a', 'SELL', '0.1', '100.3', 'IOC', false]]);
    await group.onFill(fillOf(placed[2]!, '0.1', '100.4'));
    await group.onStatus(statusOf(placed[2]!, 'DONE', '0.1'));
    expect(published.at(-1)).toMatchObject({ state: 'UNWOUND', residualQuantity: '0', unwindCost: '0.01' });
  });
});

import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { book, fakeEnvironment, fillOf, SPREAD, statusOf } from '../arbitrageFixtures.ts';
import { FinishOrUnwind } from './FinishOrUnwind.ts';

const FINISH = { finishWithinMs: 2_000, venues: ['venue-a', 'venue-b', 'venue-c'] };

/** The buy fills, the sell is refused: the sell side is behind by 0.2. */
async function sellRefused(books: Parameters<typeof fakeEnvironment>[0]) {
  const fake = fakeEnvironment(books);
  const group = new FinishOrUnwind('arb-group-2', SPREAD, { unwindMaxCostBps: new Decimal('20') }, fake.env, fake.clock.now, FINISH);
  await group.open();
  const [buy, sell] = fake.placed;
  await group.onFill(fillOf(buy!, '0.2', '100'));
  await group.onStatus(statusOf(buy!, 'DONE', '0.2'));
  await group.onStatus(statusOf(sell!, 'REJECTED', '0', { rule: 'VENUE_HEALTH', reason: 'venue-b is DOWN' }));
  return { ...fake, group };
}

const legs = (placed: ReturnType<typeof fakeEnvironment>['placed']) => placed.map(({ role, venue, side, quantity, limitPrice }) => [role, venue, side, quantity.toFixed(), limitPrice.toFixed()]);

describe('FinishOrUnwind order group', () => {
  it('sends the short leg again on its venue, at its entry limit, into a newer book, and captures when it fills', async () => {
    const { group, placed, published, newBook } = await sellRefused([book('venue-b', [['101', '1']], [['101.5', '1']])]);
    expect(placed).toHaveLength(2);
    newBook('venue-b');
    await group.poke();
    expect(legs(placed).slice(2)).toEqual([['RETRY', 'venue-b', 'SELL', '0.2', '100.98']]);
    await group.onFill(fillOf(placed[2]!, '0.2', '101'));
    await group.onStatus(statusOf(placed[2]!, 'DONE', '0.2'));
    expect(published.at(-1)).toMatchObject({ state: 'CAPTURED', policy: 'FINISH_OR_UNWIND', boughtQuantity: '0.2', soldQuantity: '0.2', unwindCost: null });
    expect(published.at(-1)!.legs.map(({ role }) => role)).toEqual(['ENTRY', 'ENTRY', 'RETRY']);
  });

  it('re-routes the retry to another configured venue that has the price when its own no longer does, never to the other side\'s venue', async () => {
    const { placed } = await sellRefused([
      book('venue-a', [['105', '5']], [['106', '5']]),
      book('venue-b', [['100.5', '1']], [['101.5', '1']]),
      book('venue-c', [['101', '0.1'], ['100.99', '0.1']], [['102', '1']]),
    ]);
    expect(legs(placed).slice(2)).toEqual([['RETRY', 'venue-c', 'SELL', '0.2', '100.98']]);
  });

  it('unwinds the other side once finishWithinMs has passed with no venue offering the price', async () => {
    const { group, placed, published, clock } = await sellRefused([book('venue-b', [['100', '1']], [['101.5', '1']])]);
    clock.now += 1_999;
    await group.poke();
    expect(placed).toHaveLength(2);
    clock.now += 1;
    await group.poke();
    expect(legs(placed).slice(2)).toEqual([['UNWIND', 'venue-a', 'SELL', '0.2', '99.8']]);
    await group.onFill(fillOf(placed[2]!, '0.2', '99.95'));
    await group.onStatus(statusOf(placed[2]!, 'DONE', '0.2'));
    expect(published.at(-1)).toMatchObject({ state: 'UNWOUND', residualQuantity: '0', unwindCost: '0.01' });
    expect(published.at(-1)!.reason).toContain('not finished within 2000 ms');
  });
});

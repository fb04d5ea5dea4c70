import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { FILL_WAIT_MS } from '../GroupLeg.ts';
import { RETRY_PAUSE_MS, UNWIND_ATTEMPTS } from '../OrderGroup.ts';
import { fakeEnvironment, fillOf, SPREAD, statusOf } from '../arbitrageFixtures.ts';
import { BothIoc } from './BothIoc.ts';

const LIMITS = { unwindMaxCostBps: new Decimal('20') };

async function opened() {
  const fake = fakeEnvironment();
  const group = new BothIoc('arb-group-1', 'BOTH_IOC', SPREAD, LIMITS, fake.env, fake.clock.now);
  await group.open();
  const [buy, sell] = fake.placed;
  return { ...fake, group, buy: buy!, sell: sell! };
}

describe('BothIoc order group', () => {
  it('sends both legs at once as IOC limits pinned to their venues and publishes the OPEN record', async () => {
    const { placed, published } = await opened();
    expect(placed.map(({ role, venue, side, quantity, limitPrice, timeInForce, postOnly }) => [role, venue, side, quantity.toFixed(), limitPrice.toFixed(), timeInForce, postOnly])).toEqual([
      ['ENTRY', 'venue-a', 'BUY', '0.2', '100.02', 'IOC', false],
      ['ENTRY', 'venue-b', 'SELL', '0.2', '100.98', 'IOC', false],
    ]);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ eventId: 'arb-group-1:OPEN', state: 'OPEN', policy: 'BOTH_IOC', kind: 'SPOT_SPREAD', plannedQuantity: '0.2', expectedEdge: '0.1598', realizedEdge: null, closedAtMs: null });
    expect(published[0]!.legs.map((leg) => [leg.intentId, leg.outcome, leg.doneAtMs])).toEqual([
      ['arb-1-0', 'working', null],
      ['arb-1-1', 'working', null],
    ]);
  });

  it('captures when both sides fill alike: prices and fees from the fills, a base fee valued at its price, a repeated fill counted once', async () => {
    const { group, buy, sell, published, clock } = await opened();
    // The status says DONE before its fill has come: the leg waits for it.
    await group.onStatus(statusOf(buy, 'DONE', '0.2'));
    const sellFill = fillOf(sell, '0.1', '101', { amount: '0.0101', currency: 'USDT' });
    await group.onFill(sellFill);
    expect(await group.onFill({ ...sellFill, eventId: 'again' })).toBeNull();
    await group.onFill(fillOf(sell, '0.1', '100.99', { amount: '0.010099', currency: 'USDT' }));
    await group.onStatus(statusOf(sell, 'DONE', '0.2'));
    expect(group.state).toBe('OPEN');
    clock.now += 40;
    await group.onFill(fillOf(buy, '0.2', '100', { amount: '0.0002', currency: 'BTC' }));

    expect(group.state).toBe('CAPTURED');
    const closed = published[1]!;
    expect(closed).toMatchObject({ eventId: 'arb-group-1:CAPTURED', boughtQuantity: '0.2', soldQuantity: '0.2', residualQuantity: '0', unwindCost: null, residualSide: null, closedAtMs: 1_000_040 });
    // 20.199 sold − 20 bought − (0.02 + 0.0101 + 0.010099) fees.
    expect(closed.realizedEdge).toBe('0.158801');
    expect(closed.legs.map(({ filledQuantity, averagePrice, fees, outcome, doneAtMs }) => [filledQuantity, averagePrice, fees, outcome, doneAtMs])).toEqual([
      ['0.2', '100', '0.02', 'filled', 1_000_000],
      ['0.2', '100.995', '0.020199', 'filled', 1_000_000],
    ]);
  });

  it('unwinds the excess of the side that filled on its venue within the cost limit, into a fresh book, and records the cost', async () => {
    const { group, buy, sell, placed, published, newBook } = await opened();
    await group.onFill(fillOf(buy, '0.2', '100', { amount: '0.02', currency: 'USDT' }));
    await group.onStatus(statusOf(buy, 'DONE', '0.2'));
    await group.onStatus(statusOf(sell, 'REJECTED', '0', { rule: 'VENUE_HEALTH', reason: 'venue-b is DOWN' }));
    // The book the buy ended in is the one it took: the unwind waits for a newer one.
    expect(placed).toHaveLength(2);
    newBook('venue-a');
    await group.poke();
    const unwind = placed[2]!;
    // 20 bps under the entry price of 100, on the tick.
    expect([unwind.role, unwind.venue, unwind.side, unwind.quantity.toFixed(), unwind.limitPrice.toFixed(), unwind.timeInForce]).toEqual(['UNWIND', 'venue-a', 'SELL', '0.2', '99.8', 'IOC']);
    await group.onFill(fillOf(unwind, '0.2', '99.9', { amount: '0.01998', currency: 'USDT' }));
    await group.onStatus(statusOf(unwind, 'DONE', '0.2'));

    expect(group.state).toBe('UNWOUND');
    const closed = published.at(-1)!;
    expect(closed).toMatchObject({ state: 'UNWOUND', boughtQuantity: '0.2', soldQuantity: '0.2', residualQuantity: '0', realizedEdge: '-0.05998', unwindCost: '0.03998' });
    expect(closed.reason).toBe('entry buy on venue-a filled; entry sell on venue-b refused: VENUE_HEALTH: venue-b is DOWN; the excess traded back in 1 unwind(s)');
    expect(closed.legs[1]!.outcome).toBe('refused: VENUE_HEALTH: venue-b is DOWN');
  });

  it(`is EXPOSED after ${UNWIND_ATTEMPTS} unwinds that leave a residual; a venue without new books gets its next try after a pause`, async () => {
    const { group, buy, sell, placed, published, newBook, clock } = await opened();
    await group.onFill(fillOf(sell, '0.2', '101'));
    await group.onStatus(statusOf(sell, 'DONE', '0.2'));
    await group.onStatus(statusOf(buy, 'EXPIRED', '0'));
    newBook('venue-b');
    await group.poke();
    expect(placed.slice(2).map(({ role, venue, side, limitPrice }) => [role, venue, side, limitPrice.toFixed()])).toEqual([['UNWIND', 'venue-b', 'BUY', '101.2']]);
    await group.onFill(fillOf(placed[2]!, '0.05', '101.1'));
    await group.onStatus(statusOf(placed[2]!, 'EXPIRED', '0.05'));
    await group.poke();
    expect(placed).toHaveLength(3);
    clock.now += RETRY_PAUSE_MS;
    await group.poke();
    expect(placed.slice(3).map(({ quantity }) => quantity.toFixed())).toEqual(['0.15']);
    await group.onStatus(statusOf(placed[3]!, 'EXPIRED', '0'));
    newBook('venue-b');
    await group.poke();
    await group.onStatus(statusOf(placed[4]!, 'EXPIRED', '0'));

    expect(group.state).toBe('EXPOSED');
    expect(placed).toHaveLength(2 + UNWIND_ATTEMPTS);
    expect(published.at(-1)).toMatchObject({ state: 'EXPOSED', boughtQuantity: '0.05', soldQuantity: '0.2', residualQuantity: '-0.15', residualSide: 'BUY', unwindCost: '0.005' });
    expect(published.at(-1)!.reason).toMatch(/; 3 unwinds within 20 bps left -0\.15$/);
  });

  it('is MISSED when neither side filled', async () => {
    const { group, buy, sell, published } = await opened();
    await group.onStatus(statusOf(buy, 'EXPIRED', '0'));
    await group.onStatus(statusOf(sell, 'EXPIRED', '0'));
    expect(published.at(-1)).toMatchObject({ state: 'MISSED', boughtQuantity: '0', soldQuantity: '0', realizedEdge: '0', unwindCost: null });
    expect(published.at(-1)!.legs.map(({ outcome }) => outcome)).toEqual(['expired with 0 of 0.2', 'expired with 0 of 0.2']);
  });

  it(`takes an ended intent's own figures when its fills have not come ${FILL_WAIT_MS} ms later, and keeps a fee in a third currency apart`, async () => {
    const { group, buy, sell, published, clock } = await opened();
    await group.onStatus(statusOf(buy, 'DONE', '0.2', { averagePrice: '100', fees: [{ currency: 'BTC', amount: '0.0002' }] }));
    await group.onFill(fillOf(sell, '0.2', '101', { amount: '0.01', currency: 'BNB' }));
    await group.onStatus(statusOf(sell, 'DONE', '0.2'));
    clock.now += FILL_WAIT_MS - 1;
    await group.poke();
    expect(group.state).toBe('OPEN');
    clock.now += 1;
    await group.poke();

    expect(group.state).toBe('CAPTURED');
    const [bought, sold] = published.at(-1)!.legs;
    expect([bought!.averagePrice, bought!.fees, bought!.outcome]).toEqual(['100', '0.02', `filled; figures from the intent status, its fills did not arrive within ${FILL_WAIT_MS} ms`]);
    expect([sold!.fees, sold!.outcome]).toEqual(['0', 'filled; fees also 0.01 BNB, not valued in USDT']);
    expect(published.at(-1)!.realizedEdge).toBe('0.18');
  });
});

import { createLogger } from '@crossvenue/runtime';
import { Decimal, type ArbitrageGroup, type Balance, type BookSnapshot, type SymbolMetadata } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import type { OrderRequest, StrategyContext } from '../strategy/Strategy.ts';
import { parseArbitrageSettings } from './ArbitrageSettings.ts';
import { ArbitrageStrategy } from './ArbitrageStrategy.ts';
import { book, fillOf, statusOf, type Placed } from './arbitrageFixtures.ts';

const SETTINGS = { instrument: 'BTC/USDT', venues: ['venue-a', 'venue-b'], minEdgeBps: '5', maxQuantity: '0.2', maxOpenNotional: '100000', maxInventory: '0.3', cooldownMs: 10_000 };
/** venue-a asks 100, venue-b bids 101: 79.9 bps after both fees. */
const CHEAP = book('venue-a', [['99', '5']], [['100', '5']]);
const RICH = book('venue-b', [['101', '5']], [['102', '5']]);

function market(venue: string, takerFee: string | null): SymbolMetadata {
  return { venue, instrument: 'BTC/USDT', takerFee, makerFee: takerFee, quantityStep: '0.001', priceTick: '0.01', minQuantity: '0.001', minNotional: '5', active: true } as SymbolMetadata;
}

/** A StrategyContext of plain objects: books, markets and balances the test sets, orders it records. */
function harness(settings: Record<string, unknown> = SETTINGS, fees: Record<string, string | null> = { 'venue-a': '0.001', 'venue-b': '0.001' }) {
  const books = new Map<string, BookSnapshot>();
  const placed: Array<OrderRequest & { intentId: string }> = [];
  const published: ArbitrageGroup[] = [];
  const clock = { now: 5_000_000 };
  const holdings = new Map<string, Balance>([
    ['USDT', { asset: 'USDT', free: '100000', locked: '0', total: '100000' }],
    ['BTC', { asset: 'BTC', free: '10', locked: '0', total: '10' }],
  ]);
  const context: StrategyContext = {
    name: 'arb',
    portfolio: 'alpha',
    settings,
    logger: createLogger('arbitrage-strategy-test', { level: 'silent' }),
    now: () => clock.now,
    books: () => books,
    market: (venue) => market(venue, fees[venue] ?? null),
    balances: () => holdings,
    fundingRate: () => undefined,
    place: async (order) => {
      const intentId = `arb-x-${placed.length}`;
      placed.push({ ...order, intentId });
      return intentId;
    },
    cancel: async () => undefined,
  };
  const strategy = new ArbitrageStrategy(parseArbitrageSettings(settings, 'test'), async (group) => void published.push(group));
  strategy.start(context);
  const deliver = async (next: BookSnapshot) => {
    const fresh = { ...next, receivedAtMs: clock.now };
    books.set(next.venue, fresh);
    await strategy.onBook(fresh, context);
  };
  /** The leg as the group sent it, for fills and statuses. */
  const leg = (index: number): Placed => {
    const order = placed[index]!;
    return { intentId: order.intentId, role: 'ENTRY', venue: order.venues![0]!, side: order.side, quantity: new Decimal(order.amount), limitPrice: new Decimal(order.limitPrice!), timeInForce: 'IOC', postOnly: false };
  };
  /** Both legs of the last group fill at 100 and 101. */
  const fillBoth = async (first: number) => {
    for (const [index, price] of [[first, '100'], [first + 1, '101']] as const) {
      await strategy.onFill(fillOf(leg(index), placed[index]!.amount, price));
      await strategy.onStatus(statusOf(leg(index), 'DONE', placed[index]!.amount));
    }
  };
  return { strategy, context, placed, published, clock, deliver, leg, fillBoth, holdings };
}

describe('ArbitrageStrategy', () => {
  it('opens one group on a spread, its legs pinned IOC limits, and none other while it is in flight', async () => {
    const { placed, published, deliver } = harness();
    await deliver(CHEAP);
    expect(placed).toEqual([]);
    await deliver(RICH);
    expect(placed.map(({ side, amount, limitPrice, timeInForce, venues, postOnly }) => [side, amount, limitPrice, timeInForce, venues, postOnly])).toEqual([
      ['BUY', '0.2', '100.02', 'IOC', ['venue-a'], false],
      ['SELL', '0.2', '100.98', 'IOC', ['venue-b'], false],
    ]);
    expect(published.map(({ groupId, state }) => [groupId, state])).toEqual([[`arb-group-${(5_000_000).toString(36)}-0`, 'OPEN']]);
    await deliver(RICH);
    expect(placed).toHaveLength(2);
  });

  it('after a captured group, waits for a newer book of each venue it traded on, and keeps each venue within maxInventory of where it started', async () => {
    const { placed, published, deliver, fillBoth } = harness();
    await deliver(CHEAP);
    await deliver(RICH);
    await fillBoth(0);
    expect(published.at(-1)!.state).toBe('CAPTURED');
    // venue-b's newest book predates the group's fills: not traded on.
    await deliver(CHEAP);
    expect(placed).toHaveLength(2);
    await deliver(RICH);
    // 0.2 bought on venue-a already: 0.1 more reaches maxInventory 0.3.
    expect(placed.slice(2).map(({ side, amount }) => [side, amount])).toEqual([
      ['BUY', '0.1'],
      ['SELL', '0.1'],
    ]);
  });

  it('waits cooldownMs after a failed group before opening another', async () => {
    const { strategy, placed, published, deliver, leg, clock } = harness();
    await deliver(CHEAP);
    await deliver(RICH);
    await strategy.onStatus(statusOf(leg(0), 'EXPIRED', '0'));
    await strategy.onStatus(statusOf(leg(1), 'EXPIRED', '0'));
    expect(published.at(-1)!.state).toBe('MISSED');
    clock.now += 9_999;
    await deliver(CHEAP);
    await deliver(RICH);
    expect(placed).toHaveLength(2);
    clock.now += 1;
    await deliver(RICH);
    expect(placed).toHaveLength(4);
  });

  it('does not trade on a book older than maxBookAgeMs, a venue whose fee is unknown, or without the balance', async () => {
    const stale = harness();
    await stale.deliver(CHEAP);
    stale.clock.now += 2_001;
    await stale.deliver(RICH);
    expect(stale.placed).toEqual([]);

    const unknownFee = harness(SETTINGS, { 'venue-a': null, 'venue-b': '0.001' });
    await unknownFee.deliver(CHEAP);
    await unknownFee.deliver(RICH);
    expect(unknownFee.placed).toEqual([]);
    const withDefault = harness({ ...SETTINGS, defaultTakerFee: '0.001' }, { 'venue-a': null, 'venue-b': '0.001' });
    await withDefault.deliver(CHEAP);
    await withDefault.deliver(RICH);
    expect(withDefault.placed).toHaveLength(2);

    const poor = harness();
    poor.holdings.clear();
    await poor.deliver(CHEAP);
    await poor.deliver(RICH);
    expect(poor.placed).toEqual([]);
  });
});

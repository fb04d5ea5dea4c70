import { createLogger } from '@crossvenue/runtime';
import { Decimal, type ArbitrageGroup, type Balance, type BookSnapshot, type FundingPayment, type FundingRate, type SymbolMetadata } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import type { OrderRequest, StrategyContext } from '../strategy/Strategy.ts';
import { book, fillOf, statusOf, type Placed } from './arbitrageFixtures.ts';
import { FundingArbitrage } from './FundingArbitrage.ts';
import { parseFundingSettings } from './FundingSettings.ts';

const DAY_MS = 86_400_000;
const PERPETUAL = 'BTC/USDT:USDT';
const SETTINGS = {
  kind: 'FUNDING',
  places: [
    { venue: 'spot', instrument: 'BTC/USDT' },
    { venue: 'perp', instrument: PERPETUAL },
  ],
  entryApr: '0.2',
  exitApr: '0.05',
  holdMs: 7 * DAY_MS,
  minEdgeBps: '5',
  stopLossBps: '100',
  maxQuantity: '1.5',
  maxOpenNotional: '100000',
  cooldownMs: 10_000,
};
/** An interval of a thousandth of a year: a rate of 0.0005 is 50 % a year. */
const INTERVAL_MS = 31_536_000;
const SPOT = book('spot', [['99.9', '1'], ['99.8', '1']], [['100', '1'], ['100.1', '1']]);
const PERP = { ...book('perp', [['100.05', '1'], ['100', '1']], [['100.15', '1'], ['100.2', '1']]), instrument: PERPETUAL };

function market(venue: string, instrument: string, takerFee: string): SymbolMetadata {
  return { venue, instrument, takerFee, makerFee: takerFee, quantityStep: '0.01', priceTick: '0.01', minQuantity: '0.01', minNotional: '5', active: true, contractSize: instrument === PERPETUAL ? '1' : null, inverse: false } as SymbolMetadata;
}

/** A StrategyContext of plain objects: books, markets, balances and funding rates the test sets, orders it records. */
function harness() {
  const books = new Map<string, Map<string, BookSnapshot>>();
  const placed: Array<OrderRequest & { intentId: string }> = [];
  const published: ArbitrageGroup[] = [];
  const clock = { now: 5_000_000 };
  const rates = new Map<string, FundingRate>();
  const holdings = new Map<string, Balance>([
    ['USDT', { asset: 'USDT', free: '100000', locked: '0', total: '100000' }],
    ['BTC', { asset: 'BTC', free: '10', locked: '0', total: '10' }],
  ]);
  const markets = [market('spot', 'BTC/USDT', '0.001'), market('perp', PERPETUAL, '0.0005')];
  const context: StrategyContext = {
    name: 'basis',
    portfolio: 'alpha',
    settings: SETTINGS,
    logger: createLogger('funding-arbitrage-test', { level: 'silent' }),
    now: () => clock.now,
    books: (instrument) => books.get(instrument) ?? new Map(),
    market: (venue, instrument) => markets.find((one) => one.venue === venue && one.instrument === instrument),
    balances: () => holdings,
    fundingRate: (venue, instrument) => rates.get(`${venue}|${instrument}`),
    place: async (order) => {
      const intentId = `basis-x-${placed.length}`;
      placed.push({ ...order, intentId });
      return intentId;
    },
    cancel: async () => undefined,
  };
  const strategy = new FundingArbitrage(parseFundingSettings(SETTINGS, 'test'), async (group) => void published.push(group));
  strategy.start(context);
  const setRate = (rate: string) =>
    rates.set(`perp|${PERPETUAL}`, { eventId: `rate-${rate}`, venue: 'perp', instrument: PERPETUAL, venueSymbol: 'BTCUSDT', rate, nextFundingTimeMs: clock.now + 1_000, fundingIntervalMs: INTERVAL_MS, markPrice: null, indexPrice: null, venueTimeMs: clock.now, receivedAtMs: clock.now });
  const deliver = async (next: BookSnapshot) => {
    const fresh = { ...next, receivedAtMs: clock.now };
    const byVenue = books.get(next.instrument) ?? new Map<string, BookSnapshot>();
    byVenue.set(next.venue, fresh);
    books.set(next.instrument, byVenue);
    await strategy.onBook(fresh, context);
  };
  const leg = (index: number): Placed => {
    const order = placed[index]!;
    return { intentId: order.intentId, role: 'ENTRY', venue: order.venues![0]!, side: order.side, quantity: new Decimal(order.amount), limitPrice: new Decimal(order.limitPrice!), timeInForce: 'IOC', postOnly: false };
  };
  /** Legs `first` and `first + 1` fill whole at the given prices. */
  const fillPair = async (first: number, prices: [string, string]) => {
    for (const [offset, price] of prices.entries()) {
      const index = first + offset;
      await strategy.onFill(fillOf(leg(index), placed[index]!.amount, price));
      await strategy.onStatus(statusOf(leg(index), 'DONE', placed[index]!.amount));
    }
  };
  const payment = (fundingId: string, amount: string, venueTimeMs = clock.now): FundingPayment => ({
    eventId: `funding:perp:main:${fundingId}`,
    venue: 'perp',
    account: 'main',
    portfolio: 'alpha',
    instrument: PERPETUAL,
    fundingId,
    amount,
    currency: 'USDT',
    venueTimeMs,
    receivedAtMs: clock.now,
  });
  return { strategy, context, placed, published, clock, setRate, deliver, fillPair, payment };
}

const legsOf = (placed: Array<OrderRequest & { intentId: string }>) => placed.map(({ instrument, side, amount, limitPrice, venues }) => [instrument, side, amount, limitPrice, venues]);
const reduceOnlyOf = (placed: Array<OrderRequest & { intentId: string }>) => placed.map(({ instrument, reduceOnly }) => [instrument, reduceOnly]);

describe('FundingArbitrage', () => {
  it('opens a basis position above entryApr: long spot, short the perpetual, both legs at once, recorded with the differential', async () => {
    const { placed, published, setRate, deliver } = harness();
    setRate('0.0005');
    await deliver(SPOT);
    await deliver(PERP);
    expect(legsOf(placed)).toEqual([
      ['BTC/USDT', 'BUY', '1.5', '100.12', ['spot']],
      [PERPETUAL, 'SELL', '1.5', '99.98', ['perp']],
    ]);
    const opened = published.at(-1)!;
    expect(opened).toMatchObject({ state: 'OPEN', kind: 'BASIS', instrument: 'BTC/USDT', sellInstrument: PERPETUAL, buyVenue: 'spot', sellVenue: 'perp', positionId: opened.groupId, expectedFundingApr: '0.5', fundingCollected: null });
    expect(opened.legs.map(({ venue, instrument }) => [venue, instrument])).toEqual([
      ['spot', 'BTC/USDT'],
      ['perp', PERPETUAL],
    ]);
    expect(opened.reason).toMatch(/^opened for 50 % a year \(BTC\/USDT:USDT on perp against BTC\/USDT on spot\); net 35\.9104 bps/);
  });

  it('opens nothing below entryApr, without a funding rate, or on a rate older than maxFundingAgeMs', async () => {
    const low = harness();
    low.setRate('0.0001');
    await low.deliver(SPOT);
    await low.deliver(PERP);
    expect(low.placed).toEqual([]);

    const unknown = harness();
    await unknown.deliver(SPOT);
    await unknown.deliver(PERP);
    expect(unknown.placed).toEqual([]);

    const stale = harness();
    stale.setRate('0.0005');
    stale.clock.now += 180_001;
    await stale.deliver(SPOT);
    await stale.deliver(PERP);
    expect(stale.placed).toEqual([]);
  });

  it('holds while the differential stays above exitApr, counts each funding payment once, and closes below exitApr with the funding in the record', async () => {
    const { strategy, context, placed, published, clock, setRate, deliver, fillPair, payment } = harness();
    setRate('0.0005');
    await deliver(SPOT);
    await deliver(PERP);
    await fillPair(0, ['100.0333', '100.0333']);
    const opening = published.at(-1)!;
    expect(opening.state).toBe('CAPTURED');
    expect(strategy.holding).toMatchObject({ id: opening.groupId, quantity: new Decimal('1.5') });

    // Funding settled before it opened is not its; a payment listed twice counts once.
    strategy.onFundingPayment(payment('f0', '9', clock.now - 1_000), context);
    clock.now += 1_000;
    strategy.onFundingPayment(payment('f1', '0.075'), context);
    strategy.onFundingPayment(payment('f1', '0.075'), context);
    strategy.onFundingPayment(payment('f2', '0.07'), context);
    await deliver(SPOT);
    await deliver(PERP);
    expect(placed).toHaveLength(2);
    expect(strategy.holding!.funding.toFixed()).toBe('0.145');

    // 0.00004 a thousandth of a year: 4 % a year, below the 5 % exit.
    setRate('0.00004');
    await deliver(SPOT);
    await deliver(PERP);
    expect(legsOf(placed.slice(2))).toEqual([
      [PERPETUAL, 'BUY', '1.5', '100.22', ['perp']],
      ['BTC/USDT', 'SELL', '1.5', '99.79', ['spot']],
    ]);
    // Opening legs may add; closing the perpetual may only reduce it, the spot side has no such flag.
    expect(reduceOnlyOf(placed)).toEqual([
      ['BTC/USDT', false],
      [PERPETUAL, false],
      [PERPETUAL, true],
      ['BTC/USDT', false],
    ]);
    await fillPair(2, ['100.1667', '99.8667']);
    const closing = published.at(-1)!;
    expect(closing).toMatchObject({ state: 'CAPTURED', positionId: opening.groupId, buyVenue: 'perp', sellVenue: 'spot', instrument: PERPETUAL, sellInstrument: 'BTC/USDT', expectedFundingApr: '0.04', fundingCollected: '0.145' });
    expect(closing.reason).toMatch(/^closed: funding differential 4 % a year, below the exit threshold 5 %/);
    expect(strategy.holding).toBeNull();
  });

  it('after a restart, restores the position from its groups\' records: opens no second one, and closes it below exitApr', async () => {
    const first = harness();
    first.setRate('0.0005');
    await first.deliver(SPOT);
    await first.deliver(PERP);
    await first.fillPair(0, ['100.0333', '100.0333']);
    const opening = first.published.at(-1)!;

    const restarted = harness();
    restarted.strategy.restore(first.published, restarted.context.logger);
    expect(restarted.strategy.holding).toMatchObject({ id: opening.groupId, quantity: new Decimal('1.5') });
    expect([restarted.strategy.heldAt('spot').toFixed(), restarted.strategy.heldAt('perp').toFixed()]).toEqual(['1.5', '-1.5']);
    // Funding still pays above entryApr: a worker that forgot its position would open another here.
    restarted.setRate('0.0005');
    await restarted.deliver(SPOT);
    await restarted.deliver(PERP);
    expect(restarted.placed).toEqual([]);
    restarted.setRate('0');
    await restarted.deliver(SPOT);
    await restarted.deliver(PERP);
    expect(legsOf(restarted.placed).map(([instrument, side, amount]) => [instrument, side, amount])).toEqual([
      [PERPETUAL, 'BUY', '1.5'],
      ['BTC/USDT', 'SELL', '1.5'],
    ]);
    expect(restarted.published.at(-1)).toMatchObject({ state: 'OPEN', positionId: opening.groupId });
  });

  it('closes by the stop when the basis moves against it by more than stopLossBps, funding included', async () => {
    const { strategy, placed, published, clock, setRate, deliver, fillPair } = harness();
    setRate('0.0005');
    await deliver(SPOT);
    await deliver(PERP);
    await fillPair(0, ['100.0333', '100.0333']);
    clock.now += 1_000;
    await deliver(SPOT);
    // The perpetual rallies 2 % over spot: buying it back costs about 300 USDT on 150 of notional.
    await deliver({ ...PERP, bids: [{ price: '102', quantity: '5' }], asks: [{ price: '102.1', quantity: '5' }] });
    expect(legsOf(placed.slice(2)).map(([instrument, side]) => [instrument, side])).toEqual([
      [PERPETUAL, 'BUY'],
      ['BTC/USDT', 'SELL'],
    ]);
    // Entry edge 0 (fills without fees) + spot sold for 149.8 × 0.999 − perpetual bought for 153.15 × 1.0005; the stop is −1.5 on 150.04995.
    expect(published.at(-1)!.reason).toMatch(/^closed by the stop: closing now gives -3\.576375 USDT with funding 0, beyond 100 bps of 150\.04995/);
    expect(strategy.holding).not.toBeNull();
  });
});

describe('parseFundingSettings', () => {
  it.each([
    [{ ...SETTINGS, exitApr: '0.2' }, 'test.exitApr: must be less than entryApr (0.2), got 0.2'],
    [{ ...SETTINGS, places: [{ venue: 'spot', instrument: 'BTC/USDT' }, { venue: 'spot2', instrument: 'BTC/USDT' }] }, 'test.places: no perpetual (BASE/QUOTE:SETTLE) among them; funding needs one'],
    [{ ...SETTINGS, places: [{ venue: 'spot', instrument: 'BTC/USDT' }, { venue: 'perp', instrument: 'ETH/USDT:USDT' }] }, 'test.places: ETH/USDT:USDT is not in BTC against USDT like BTC/USDT'],
    [{ ...SETTINGS, places: [{ venue: 'okx', instrument: 'BTC/USDT' }, { venue: 'okx', instrument: PERPETUAL }] }, 'test.places: okx is listed twice; one instrument per venue'],
    [{ ...SETTINGS, places: [{ venue: 'spot', instrument: 'BTC/USDT' }, { venue: 'perp', instrument: 'BTC/USDT:USDT-261225' }] }, 'test.places[1].instrument: BTC/USDT:USDT-261225 expires'],
    [{ ...SETTINGS, policy: 'MAKER_TAKER' }, 'test.policy: "MAKER_TAKER" is not one of BOTH_IOC, FINISH_OR_UNWIND (MAKER_TAKER is for SPOT_SPREAD)'],
    [{ ...SETTINGS, makerVenue: 'spot' }, 'test.makerVenue: makerVenue is only for MAKER_TAKER'],
    [{ ...SETTINGS, finishWithinMs: 100 }, 'test.finishWithinMs: finishWithinMs is only for FINISH_OR_UNWIND, the policy is BOTH_IOC'],
    [{ ...SETTINGS, stopLossBps: undefined }, 'test.stopLossBps: required'],
    [{ ...SETTINGS, maxInventory: '1' }, 'test.maxInventory: unknown key; known: kind, places'],
  ])('refuses %j with one line naming the key', (settings, message) => {
    expect(() => parseFundingSettings(JSON.parse(JSON.stringify(settings)) as Record<string, unknown>, 'test')).toThrow(message);
  });
});

import { randomUUID } from 'node:crypto';
import { ArbitrageWorker } from '@crossvenue/processors';
import { Decimal, TOPICS, type ArbitrageGroup, type BalanceSnapshot, type BookSnapshot, type Fill, type Intent } from '@crossvenue/schemas';
import { createLogger } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PORTFOLIO, startEmbeddedRun, type EmbeddedRun } from './EmbeddedRun.ts';
import { localApiKey } from './localApiKey.ts';

const WAIT_MS = 20_000;
const SYMBOL = 'BTCUSDT';
/** Accounts of other participants on the simulated venues: one makes the spread, one hits the maker order. */
const LIQUIDITY = 'arb-test-liquidity';
const TAKER = 'arb-test-taker';
/** Above every venue's seeded best ask (64,012.8) by 29 bps: more than both taker fees (20 bps) and the 5 bps asked for. */
const SPREAD_BID = '64200';

const SETTINGS = {
  instrument: 'BTC/USDT',
  minEdgeBps: '5',
  maxQuantity: '0.3',
  maxOpenNotional: '100000',
  maxInventory: '0.3',
  // One group per test: a failed group is not followed by another.
  cooldownMs: 60_000,
  legSlippageBps: '2',
  unwindMaxCostBps: '30',
};

describe('arbitrage worker on the embedded run: simulated venues, ccxt connectors, router, risk and execution on the in-process bus', () => {
  const logger = createLogger('arbitrage-e2e', { level: 'silent' });
  let groups: ArbitrageGroup[];
  /** Books seen per venue. */
  let booksOf: Map<string, number>;
  const bookCount = () => new Map(booksOf);
  let fills: Fill[];
  /** Called with every intent as it is published: the MAKER_TAKER test acts on the cancel. */
  let onIntent: (intent: Intent) => void = () => undefined;
  let run: EmbeddedRun;
  let worker: ArbitrageWorker | undefined;

  const venue = (name: string) => run.venues.venues[run.venues.endpoints.findIndex((endpoint) => endpoint.name === name)]!;
  const closedOf = (name: string) => groups.find((group) => group.strategy === name && group.state !== 'OPEN');
  const openOf = (name: string) => groups.find((group) => group.strategy === name && group.state === 'OPEN');
  /** Net base the worker's own fills moved the portfolio by, from exec.fills. */
  const netFilled = (name: string) => fills.filter((fill) => fill.intentId?.startsWith(`${name}-`)).reduce((sum, fill) => (fill.side === 'BUY' ? sum.plus(fill.quantity) : sum.minus(fill.quantity)), new Decimal(0));

  /** Another participant bids `quantity` at `price` on `name`, after the seeded asks it would cross are gone: the venue now pays more than the others ask. */
  const restingBid = (name: string, price: string, quantity: string) => {
    const { engine } = venue(name);
    for (const order of engine.openOrders('seed-liquidity', SYMBOL)) if (order.side === 'SELL' && order.price.lte(price)) engine.cancel('seed-liquidity', SYMBOL, { orderId: order.orderId });
    engine.balances.credit(LIQUIDITY, 'USDT', new Decimal(price).times(quantity));
    engine.place({ account: LIQUIDITY, symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: new Decimal(quantity), price: new Decimal(price) });
  };

  /** Starts the worker and waits until each of its venues has published a book since: it reads books from when it starts. */
  const startWorker = async (name: string, settings: { venues: string[] } & Record<string, unknown>) => {
    worker = new ArbitrageWorker({ messages: run.messages, name, portfolio: DEMO_PORTFOLIO, settings: { ...SETTINGS, ...settings }, logger });
    await worker.start();
    const started = bookCount();
    await waitFor('a book of each venue since the worker started', () => settings.venues.every((at) => (booksOf.get(at) ?? 0) > (started.get(at) ?? 0)), WAIT_MS);
  };

  // A fresh run per test: every test starts from the same seeded books and balances.
  beforeEach(async () => {
    groups = [];
    fills = [];
    booksOf = new Map();
    // Still books at one mid (no flow, no walk): a spread exists only when a test makes one.
    run = await startEmbeddedRun({ gatewayPort: 0, keys: localApiKey('trader').keys, logger, demo: { seed: 11, flow: false, movingPrices: false, strategy: false } });
    const funded = new Set<string>();
    await run.messages.subscribe({
      groupId: `arbitrage-observer-${randomUUID()}`,
      topics: [TOPICS.arbitrageGroups, TOPICS.fills, TOPICS.intents, TOPICS.bookSnapshots, TOPICS.balances],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, value } of batch) {
          if (topic === TOPICS.arbitrageGroups.name) groups.push(value as ArbitrageGroup);
          else if (topic === TOPICS.fills.name) fills.push(value as Fill);
          else if (topic === TOPICS.intents.name) onIntent(value as Intent);
          else if (topic === TOPICS.bookSnapshots.name) booksOf.set((value as BookSnapshot).venue, (booksOf.get((value as BookSnapshot).venue) ?? 0) + 1);
          else funded.add((value as BalanceSnapshot).venue);
        }
      },
    });
    // The worker trades only where it knows the book and the balances: every venue's, so which pair it picks is the books' doing.
    await waitFor('books and balances of every venue', () => booksOf.size === run.venues.endpoints.length && funded.size === run.venues.endpoints.length, WAIT_MS);
  }, 30_000);

  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    onIntent = () => undefined;
    await run?.stop();
  });

  it('captures a spread with both legs at once (BOTH_IOC): bought equals sold, and the realized edge is the expected one within what the IOC limits allowed', async () => {
    await startWorker('arb-capture', { venues: ['sim-binance-a', 'sim-binance-b', 'sim-bybit'] });
    restingBid('sim-bybit', SPREAD_BID, '0.3');
    await waitFor('the group to close', () => closedOf('arb-capture') !== undefined, WAIT_MS);

    const opened = openOf('arb-capture')!;
    const closed = closedOf('arb-capture')!;
    // binance-a's asks are deeper than binance-b's at the same prices: buying there earns more.
    expect([opened.buyVenue, opened.sellVenue, opened.plannedQuantity]).toEqual(['sim-binance-a', 'sim-bybit', '0.3']);
    expect(closed).toMatchObject({ state: 'CAPTURED', policy: 'BOTH_IOC', boughtQuantity: '0.3', soldQuantity: '0.3', residualQuantity: '0', unwindCost: null });
    expect(closed.legs.map(({ role, venue: at, side, filledQuantity }) => [role, at, side, filledQuantity])).toEqual([
      ['ENTRY', 'sim-binance-a', 'BUY', '0.3'],
      ['ENTRY', 'sim-bybit', 'SELL', '0.3'],
    ]);
    // The fills on exec.fills are the record's.
    const legFills = fills.filter((fill) => closed.legs.some((leg) => leg.intentId === fill.intentId));
    expect(legFills.filter((fill) => fill.side === 'BUY').reduce((sum, fill) => sum.plus(fill.quantity), new Decimal(0)).toFixed()).toBe('0.3');
    expect(netFilled('arb-capture').toFixed()).toBe('0');
    // Tolerance: each leg may trade up to its limit instead of the expected average, so the edge may
    // differ by at most Σ filled × |limit − expected price| (fees are the same rate of the same
    // notional either way), plus the record's rounding to 8 places.
    const [buy, sell] = closed.legs;
    const allowance = new Decimal(buy!.filledQuantity).times(new Decimal(buy!.limitPrice!).minus(closed.expectedBuyPrice)).plus(new Decimal(sell!.filledQuantity).times(new Decimal(closed.expectedSellPrice).minus(sell!.limitPrice!)));
    expect(new Decimal(closed.realizedEdge!).minus(closed.expectedEdge).abs().lte(allowance.plus('0.00000002'))).toBe(true);
    expect(new Decimal(closed.realizedEdge!).gt(0)).toBe(true);
  }, 30_000);

  it.each([
    ['BOTH_IOC', {}],
    ['FINISH_OR_UNWIND', { finishWithinMs: 1_500 }],
  ])('%s: when the sell venue refuses its leg, the bought leg is unwound on its venue, the group ends flat and its unwind cost is recorded', async (policy, extra) => {
    const name = `arb-unwind-${policy.toLowerCase().replaceAll('_', '-')}`;
    await startWorker(name, { venues: ['sim-binance-a', 'sim-bybit'], policy, ...extra });
    // Every REST request to sim-bybit is answered "rate limited" from now on: its book still streams, its orders are refused.
    venue('sim-bybit').faults.set({ rateLimitRequests: 1_000_000 });
    restingBid('sim-bybit', SPREAD_BID, '0.3');
    await waitFor('the group to close', () => closedOf(name) !== undefined, WAIT_MS);

    const closed = closedOf(name)!;
    expect(closed).toMatchObject({ state: 'UNWOUND', policy, buyVenue: 'sim-binance-a', sellVenue: 'sim-bybit', residualQuantity: '0', residualSide: null });
    const roles = closed.legs.map(({ role, venue: at, side }) => `${role} ${at} ${side}`);
    expect(roles[0]).toBe('ENTRY sim-binance-a BUY');
    expect(roles.at(-1)).toBe('UNWIND sim-binance-a SELL');
    for (const leg of closed.legs.filter(({ venue: at }) => at === 'sim-bybit')) expect(leg.filledQuantity).toBe('0');
    if (policy === 'FINISH_OR_UNWIND') {
      expect(roles).toContain('RETRY sim-bybit SELL');
      expect(closed.reason).toContain('not finished within 1500 ms');
    }
    expect(new Decimal(closed.unwindCost!).gt(0)).toBe(true);
    expect(new Decimal(closed.realizedEdge!).lt(0)).toBe(true);
    // The portfolio's position: what the worker's fills bought, they sold again.
    expect(closed.boughtQuantity).toBe(closed.soldQuantity);
    expect(netFilled(name).toFixed()).toBe('0');
  }, 30_000);

  it('MAKER_TAKER: a fill of the resting maker order that the venue makes while the cancel is on its way is hedged on the taker venue', async () => {
    const name = 'arb-maker';
    const { engine } = venue('sim-binance-a');
    engine.balances.credit(TAKER, 'BTC', new Decimal(1));
    /** What the other participant's sell took of the maker bid when the cancel was asked for. */
    let hit: string | undefined;
    // The strategy asks to cancel after makerRestMs; the moment its CANCEL intent is published, another
    // participant sells into the maker bid, in the engine at once, while the cancel still has the router,
    // execution, the connector and an HTTP request ahead of it.
    onIntent = (intent) => {
      if (intent.action !== 'CANCEL' || !intent.intentId.startsWith(`${name}-`) || hit !== undefined) return;
      const price = openOf(name)!.legs[0]!.limitPrice!;
      const order = engine.place({ account: TAKER, symbol: SYMBOL, side: 'SELL', type: 'LIMIT', timeInForce: 'IOC', quantity: new Decimal('0.1'), price: new Decimal(price) });
      hit = order.executedQuantity.toFixed();
    };
    await startWorker(name, { venues: ['sim-binance-a', 'sim-bybit'], policy: 'MAKER_TAKER', makerVenue: 'sim-binance-a', makerRestMs: 1_500 });
    restingBid('sim-bybit', SPREAD_BID, '0.3');
    await waitFor('the group to close', () => closedOf(name) !== undefined, WAIT_MS);

    expect(hit).toBe('0.1');
    const closed = closedOf(name)!;
    expect(closed).toMatchObject({ state: 'CAPTURED', policy: 'MAKER_TAKER', buyVenue: 'sim-binance-a', sellVenue: 'sim-bybit', boughtQuantity: '0.1', soldQuantity: '0.1', residualQuantity: '0' });
    const [maker, hedge, ...rest] = closed.legs;
    expect(rest).toEqual([]);
    expect([maker!.role, maker!.side, maker!.filledQuantity, maker!.outcome]).toEqual(['ENTRY', 'BUY', '0.1', 'canceled with 0.1 of 0.3']);
    expect([hedge!.role, hedge!.venue, hedge!.side, hedge!.filledQuantity]).toEqual(['HEDGE', 'sim-bybit', 'SELL', '0.1']);
    expect(closed.reason).toContain('maker cancelled: rested 1500 ms');
    // The venue filled 0.1 of the maker order and cancelled the rest: the fill came before the cancel arrived.
    const atVenue = engine.allOrders('demo', SYMBOL).filter((order) => order.price.eq(maker!.limitPrice!) && order.side === 'BUY');
    expect(atVenue.map((order) => [order.status, order.executedQuantity.toFixed()])).toEqual([['CANCELED', '0.1']]);
    expect(new Decimal(closed.realizedEdge!).gt(0)).toBe(true);
    expect(netFilled(name).toFixed()).toBe('0');
  }, 30_000);
});

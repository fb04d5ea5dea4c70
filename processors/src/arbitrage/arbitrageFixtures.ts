import { createLogger } from '@crossvenue/runtime';
import { Decimal, type ArbitrageGroup, type BookSnapshot, type Fill, type IntentState, type IntentStatus, type PriceLevel } from '@crossvenue/schemas';
import type { LegOrder } from './GroupLeg.ts';
import type { GroupEnvironment, VenueTerms } from './OrderGroup.ts';
import type { SpotSpread, SpreadVenue } from './spotSpread.ts';

/** Test helpers for the arbitrage unit tests: a plain in-memory group environment, books, fills and statuses. */

export const TERMS: VenueTerms = {
  takerFee: new Decimal('0.001'),
  makerFee: new Decimal('0.001'),
  quantityStep: new Decimal('0.001'),
  priceTick: new Decimal('0.01'),
  minQuantity: new Decimal('0.001'),
  minNotional: new Decimal('5'),
};

/** One venue as the finders see it: 0.1 % taker, lot and minimum 0.01, tick 0.01, minimum notional 5, 1,000 quote and 10 base free; no book until given. */
export function spreadVenue(name: string, overrides: Partial<SpreadVenue> = {}): SpreadVenue {
  const d = (value: string) => new Decimal(value);
  return {
    venue: name,
    asks: [],
    bids: [],
    takerFee: d('0.001'),
    quantityStep: d('0.01'),
    priceTick: d('0.01'),
    minQuantity: d('0.01'),
    minNotional: d('5'),
    quoteFree: d('1000'),
    baseFree: d('10'),
    inventoryRoom: { buy: d('10'), sell: d('10') },
    ...overrides,
  };
}

export function book(venue: string, bids: Array<[string, string]>, asks: Array<[string, string]>): BookSnapshot {
  const levels = (side: Array<[string, string]>): PriceLevel[] => side.map(([price, quantity]) => ({ price, quantity }));
  return { eventId: `${venue}:book`, venue, instrument: 'BTC/USDT', venueSymbol: 'BTCUSDT', sequence: null, venueTimeMs: null, receivedAtMs: 0, bids: levels(bids), asks: levels(asks) };
}

/** Buy 0.2 on venue-a at 100, sell on venue-b at 101, both IOC; limits 2 bps through. */
export const SPREAD: SpotSpread = {
  buyVenue: 'venue-a',
  sellVenue: 'venue-b',
  quantity: new Decimal('0.2'),
  expectedBuyPrice: new Decimal('100'),
  expectedSellPrice: new Decimal('101'),
  expectedEdge: new Decimal('0.1598'),
  expectedEdgeBps: new Decimal('79.9'),
  buyLimit: new Decimal('100.02'),
  sellLimit: new Decimal('100.98'),
};

export interface Placed extends LegOrder {
  intentId: string;
}

/** A GroupEnvironment of plain objects: what the group placed, cancelled and published, books and a clock the test moves. */
export function fakeEnvironment(books: BookSnapshot[] = []) {
  const placed: Placed[] = [];
  const cancelled: string[] = [];
  const published: ArbitrageGroup[] = [];
  const latest = new Map(books.map((one) => [one.venue, one]));
  const seen = new Map<string, number>();
  const clock = { now: 1_000_000 };
  const env: GroupEnvironment = {
    strategy: 'arb',
    portfolio: 'alpha',
    kind: 'SPOT_SPREAD',
    instrumentAt: () => 'BTC/USDT',
    assets: { base: 'BTC', quote: 'USDT' },
    logger: createLogger('arbitrage-test', { level: 'silent' }),
    now: () => clock.now,
    place: async (order) => {
      const intentId = `arb-1-${placed.length}`;
      placed.push({ ...order, intentId });
      return intentId;
    },
    cancel: async (intentId) => void cancelled.push(intentId),
    book: (venue) => latest.get(venue),
    booksSeen: (venue) => seen.get(venue) ?? 0,
    terms: () => TERMS,
    publish: async (group) => void published.push(group),
  };
  return {
    env,
    placed,
    cancelled,
    published,
    clock,
    /** A new book of a venue (or the same one again, as a heartbeat). */
    newBook: (venue: string, next?: BookSnapshot) => {
      if (next) latest.set(venue, next);
      seen.set(venue, (seen.get(venue) ?? 0) + 1);
    },
  };
}

let trades = 0;

/** A fill of a placed leg; fee in quote unless said otherwise. */
export function fillOf(leg: Placed, quantity: string, price: string, fee = { amount: '0', currency: 'USDT' }, tradeId = `t${++trades}`): Fill {
  return {
    eventId: `fill-${tradeId}`,
    venue: leg.venue,
    account: 'main',
    portfolio: 'alpha',
    venueTradeId: tradeId,
    clientOrderId: `c-${leg.intentId}`,
    venueOrderId: `v-${leg.intentId}`,
    intentId: leg.intentId,
    instrument: 'BTC/USDT',
    side: leg.side,
    price,
    quantity,
    fee: fee.amount,
    feeCurrency: fee.currency,
    liquidity: leg.postOnly ? 'MAKER' : 'TAKER',
    venueTimeMs: 0,
    receivedAtMs: 0,
    source: 'VENUE',
  };
}

/** The intent status of a placed leg. */
export function statusOf(leg: Placed, state: IntentState, filled: string, extra: Partial<IntentStatus> = {}): IntentStatus {
  return {
    eventId: `${leg.intentId}:status:${state}`,
    intentId: leg.intentId,
    portfolio: 'alpha',
    instrument: 'BTC/USDT',
    side: leg.side,
    source: 'STRATEGY',
    state,
    rule: null,
    reason: null,
    requestedQuantity: leg.quantity.toFixed(),
    filledQuantity: filled,
    leavesQuantity: '0',
    averagePrice: null,
    fees: [],
    algo: null,
    updatedAtMs: 0,
    ...extra,
  };
}

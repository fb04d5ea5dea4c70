import { Decimal } from '@crossvenue/schemas';
import type { FillModel, QueueState } from './FillModel.ts';
import type { RecordedLevel, RecordedTrade, ReplayFill, ReplayOrderReport, ReplayOrderRequest, ReplayOrderStatus } from './types.ts';

const ZERO = new Decimal(0);

export interface ReplayVenueOptions {
  name: string;
  /** Fee rates as fractions of notional (0.001 = 0.1 %), charged in the quote currency; negative is a rebate. */
  fees: { maker: Decimal; taker: Decimal };
  /** How long after it is sent each operation reaches the venue, in ms of the run's clock. */
  latency: { insertMs: number; cancelMs: number };
  fillModel: FillModel;
}

/** Liquidity our taker orders removed from one recorded level, until the recording replenishes it. */
interface Taken {
  side: 'bids' | 'asks';
  price: string;
  /** The level's recorded quantity when it was taken from: a different one means the level was replenished. */
  recorded: string;
  taken: Decimal;
}

interface OrderRecord {
  request: ReplayOrderRequest;
  venueOrderId: string;
  status: ReplayOrderStatus;
  filled: Decimal;
  notional: Decimal;
  /** Set while it rests on the book. */
  queueAhead: Decimal;
}

interface Market {
  bids: readonly RecordedLevel[];
  asks: readonly RecordedLevel[];
  taken: Map<string, Taken>;
  resting: OrderRecord[];
}

type Arrival = { atMs: number; seq: number } & ({ kind: 'insert'; request: ReplayOrderRequest } | { kind: 'cancel'; clientOrderId: string });

/**
 * A venue that follows recorded L2 books, one per instrument, and executes our orders against
 * them as a venue would have then. Orders and cancels arrive after the venue's latency and execute
 * at arrival against the recorded book as it is at that time:
 *
 * - a taker order walks the book up to its limit; what it took is remembered per level until the
 *   recording replenishes that level (its recorded quantity changes, or it disappears), so the
 *   same recorded liquidity never fills twice;
 * - a resting order joins behind the recorded quantity at its price; the fill model (FillModel.ts)
 *   fills it from recorded trades at or through its price once that queue is used up (or, in the
 *   probabilistic model, by chance at the touch); a recorded book that crosses its price fills it
 *   at its own price, up to the crossing liquidity not already taken.
 *
 * It is pure: time is what its caller says (the recorded receive times and the arrival times it
 * reports through `nextArrivalMs`), so a run with the same inputs and seed gives the same fills.
 */
export class ReplayVenue {
  private readonly markets = new Map<string, Market>();
  private readonly orders = new Map<string, OrderRecord>();
  private readonly arrivals: Arrival[] = [];
  private seq = 0;
  private orderIds = 0;
  private tradeIds = 0;

  constructor(readonly options: ReplayVenueOptions) {
    for (const [what, ms] of Object.entries(options.latency)) {
      if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`${options.name}: latency ${what} must be a number of ms ≥ 0, got ${ms}`);
    }
  }

  get name(): string {
    return this.options.name;
  }

  /** The recorded book of `instrument` now (best first), or undefined before its first one. */
  book(instrument: string): { bids: readonly RecordedLevel[]; asks: readonly RecordedLevel[] } | undefined {
    return this.markets.get(instrument);
  }

  /** A new recorded book: replenishes taken levels, then fills resting orders it crosses or the fill model fills. */
  onBook(instrument: string, bids: readonly RecordedLevel[], asks: readonly RecordedLevel[], atMs: number): ReplayOrderReport[] {
    const market = this.markets.get(instrument);
    if (!market) {
      this.markets.set(instrument, { bids, asks, taken: new Map(), resting: [] });
      return [];
    }
    market.bids = bids;
    market.asks = asks;
    for (const [key, taken] of market.taken) {
      if (quantityAt(market[taken.side], taken.price) !== taken.recorded) market.taken.delete(key);
    }
    const reports: ReplayOrderReport[] = [];
    for (const order of [...market.resting]) {
      const crossing = this.crossingFill(market, order);
      const own = order.request.side === 'BUY' ? market.bids : market.asks;
      const level = quantityAt(own, order.request.limitPrice!);
      const atTouch = own[0] !== undefined && new Decimal(own[0][0]).eq(order.request.limitPrice!);
      const modelled = this.modelled(order, (queue) => this.options.fillModel.onLevel(queue, level === undefined ? ZERO : new Decimal(level), atTouch));
      const quantity = Decimal.min(crossing.plus(modelled), order.request.quantity.minus(order.filled));
      if (quantity.gt(0)) reports.push(this.restingFill(market, order, quantity, atMs));
    }
    return reports;
  }

  /** A recorded public trade: resting orders on the side it hit, at or through their price, may fill. */
  onTrade(instrument: string, trade: RecordedTrade, atMs: number): ReplayOrderReport[] {
    const market = this.markets.get(instrument);
    if (!market) return [];
    const reports: ReplayOrderReport[] = [];
    for (const order of [...market.resting]) {
      const { side, limitPrice } = order.request;
      const reached = trade.side === 'SELL' ? side === 'BUY' && trade.price.lte(limitPrice!) : side === 'SELL' && trade.price.gte(limitPrice!);
      if (!reached) continue;
      const quantity = this.modelled(order, (queue) => this.options.fillModel.onTrade(queue, trade));
      if (quantity.gt(0)) reports.push(this.restingFill(market, order, quantity, atMs));
    }
    return reports;
  }

  /** Sends an order at `sentAtMs`: it reaches the venue insert latency later. */
  submit(request: ReplayOrderRequest, sentAtMs: number): void {
    this.enqueue({ kind: 'insert', request, atMs: sentAtMs + this.options.latency.insertMs, seq: this.seq++ });
  }

  /** Sends a cancel at `sentAtMs`: it reaches the venue cancel latency later. */
  cancel(clientOrderId: string, sentAtMs: number): void {
    this.enqueue({ kind: 'cancel', clientOrderId, atMs: sentAtMs + this.options.latency.cancelMs, seq: this.seq++ });
  }

  /** When the next order or cancel in flight reaches the venue; undefined when none is. */
  nextArrivalMs(): number | undefined {
    return this.arrivals[0]?.atMs;
  }

  /** Executes the next order or cancel in flight at its arrival time (the caller's clock is there). */
  arrive(): ReplayOrderReport[] {
    const arrival = this.arrivals.shift();
    if (!arrival) return [];
    return arrival.kind === 'insert' ? [this.insert(arrival.request, arrival.atMs)] : [this.cancelNow(arrival.clientOrderId, arrival.atMs)];
  }

  private enqueue(arrival: Arrival): void {
    let i = this.arrivals.length;
    while (i > 0 && this.arrivals[i - 1]!.atMs > arrival.atMs) i--;
    this.arrivals.splice(i, 0, arrival);
  }

  private insert(request: ReplayOrderRequest, atMs: number): ReplayOrderReport {
    const order: OrderRecord = { request, venueOrderId: `${this.name}-${++this.orderIds}`, status: 'NEW', filled: ZERO, notional: ZERO, queueAhead: ZERO };
    const refusal = this.refusal(request);
    if (this.orders.has(request.clientOrderId)) return this.report({ ...order, status: 'REJECTED' }, atMs, [], `duplicate client order id ${request.clientOrderId}`);
    this.orders.set(request.clientOrderId, order);
    const market = this.markets.get(request.instrument);
    if (refusal || !market) return this.finish(order, 'REJECTED', atMs, [], refusal ?? `no recorded book for ${request.instrument} yet`);

    const levels = takeable(market, request);
    const available = levels.reduce((sum, level) => sum.plus(level.quantity), ZERO);
    if (request.postOnly && available.gt(0)) return this.finish(order, 'REJECTED', atMs, [], 'post-only order would take liquidity');
    if (request.timeInForce === 'FOK' && available.lt(request.quantity)) return this.finish(order, 'EXPIRED', atMs, [], `FOK: only ${available.toFixed()} available within the limit`);

    const fills: ReplayFill[] = [];
    for (const level of levels) {
      const quantity = Decimal.min(level.quantity, request.quantity.minus(order.filled));
      if (quantity.lte(0)) break;
      this.take(market, level.side, level.price, level.recorded, quantity);
      fills.push(this.fill(order, new Decimal(level.price), quantity, 'TAKER'));
    }
    const remaining = request.quantity.minus(order.filled);
    if (remaining.lte(0)) return this.finish(order, 'FILLED', atMs, fills, null);
    if (request.timeInForce !== 'GTC') return this.finish(order, 'EXPIRED', atMs, fills, `${request.timeInForce}: ${remaining.toFixed()} found no liquidity within the limit`);
    const own = request.side === 'BUY' ? market.bids : market.asks;
    const ahead = quantityAt(own, request.limitPrice!);
    order.queueAhead = ahead === undefined ? ZERO : new Decimal(ahead);
    order.status = order.filled.gt(0) ? 'PARTIALLY_FILLED' : 'NEW';
    market.resting.push(order);
    return this.report(order, atMs, fills, null);
  }

  private refusal(request: ReplayOrderRequest): string | null {
    if (!request.quantity.gt(0)) return `quantity must be positive, got ${request.quantity.toFixed()}`;
    if (request.limitPrice === null && request.timeInForce === 'GTC') return 'a market order cannot rest (GTC)';
    if (request.limitPrice !== null && !request.limitPrice.gt(0)) return `limit price must be positive, got ${request.limitPrice.toFixed()}`;
    if (request.postOnly && request.limitPrice === null) return 'a post-only order needs a limit price';
    return null;
  }

  private cancelNow(clientOrderId: string, atMs: number): ReplayOrderReport {
    const order = this.orders.get(clientOrderId);
    if (!order || (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED')) {
      const known = order ?? unknownOrder(clientOrderId);
      return { ...this.report(known, atMs, [], order ? `order is already ${order.status}` : 'unknown order (not arrived yet, or never sent)'), cancelRejected: true };
    }
    this.removeResting(order);
    return this.finish(order, 'CANCELED', atMs, [], null);
  }

  /** Recorded liquidity on the other side at or better than a resting order's price, not yet taken: it crossed us. */
  private crossingFill(market: Market, order: OrderRecord): Decimal {
    const levels = takeable(market, order.request);
    const remaining = order.request.quantity.minus(order.filled);
    let total = ZERO;
    for (const level of levels) {
      const quantity = Decimal.min(level.quantity, remaining.minus(total));
      if (quantity.lte(0)) break;
      this.take(market, level.side, level.price, level.recorded, quantity);
      total = total.plus(quantity);
    }
    return total;
  }

  private restingFill(market: Market, order: OrderRecord, quantity: Decimal, atMs: number): ReplayOrderReport {
    const fill = this.fill(order, order.request.limitPrice!, quantity, 'MAKER');
    if (order.filled.gte(order.request.quantity)) {
      market.resting.splice(market.resting.indexOf(order), 1);
      return this.finish(order, 'FILLED', atMs, [fill], null);
    }
    order.status = 'PARTIALLY_FILLED';
    return this.report(order, atMs, [fill], null);
  }

  private take(market: Market, side: 'bids' | 'asks', price: string, recorded: string, quantity: Decimal): void {
    const key = `${side}:${price}`;
    const taken = market.taken.get(key);
    if (taken) taken.taken = taken.taken.plus(quantity);
    else market.taken.set(key, { side, price, recorded, taken: quantity });
  }

  private fill(order: OrderRecord, price: Decimal, quantity: Decimal, liquidity: 'MAKER' | 'TAKER'): ReplayFill {
    const notional = price.times(quantity);
    order.filled = order.filled.plus(quantity);
    order.notional = order.notional.plus(notional);
    const rate = liquidity === 'MAKER' ? this.options.fees.maker : this.options.fees.taker;
    return { tradeId: `${this.name}-t${++this.tradeIds}`, price, quantity, fee: notional.times(rate), liquidity };
  }

  private removeResting(order: OrderRecord): void {
    const resting = this.markets.get(order.request.instrument)?.resting;
    const index = resting?.indexOf(order) ?? -1;
    if (index >= 0) resting!.splice(index, 1);
  }

  private finish(order: OrderRecord, status: ReplayOrderStatus, atMs: number, fills: ReplayFill[], reason: string | null): ReplayOrderReport {
    order.status = status;
    return this.report(order, atMs, fills, reason);
  }

  private report(order: OrderRecord, atMs: number, fills: ReplayFill[], reason: string | null): ReplayOrderReport {
    const { request } = order;
    return {
      clientOrderId: request.clientOrderId,
      venueOrderId: order.venueOrderId,
      instrument: request.instrument,
      side: request.side,
      atMs,
      status: order.status,
      filled: order.filled,
      averagePrice: order.filled.gt(0) ? order.notional.dividedBy(order.filled) : null,
      fills,
      reason,
      cancelRejected: false,
    };
  }

  /** Runs the fill model on the order's queue state and keeps the queue it leaves. */
  private modelled(order: OrderRecord, model: (queue: QueueState) => Decimal): Decimal {
    const queue = { remaining: order.request.quantity.minus(order.filled), queueAhead: order.queueAhead };
    const quantity = model(queue);
    order.queueAhead = queue.queueAhead;
    return quantity;
  }
}

/** The recorded levels an order on `request.side` may take now, within its limit, less what we already took. */
function takeable(market: Market, request: Pick<ReplayOrderRequest, 'side' | 'limitPrice'>) {
  const side = request.side === 'BUY' ? ('asks' as const) : ('bids' as const);
  const levels: Array<{ side: 'bids' | 'asks'; price: string; recorded: string; quantity: Decimal }> = [];
  for (const [price, recorded] of market[side]) {
    const value = new Decimal(price);
    if (request.limitPrice !== null && (request.side === 'BUY' ? value.gt(request.limitPrice) : value.lt(request.limitPrice))) break;
    const taken = market.taken.get(`${side}:${price}`);
    const quantity = new Decimal(recorded).minus(taken && taken.recorded === recorded ? taken.taken : ZERO);
    if (quantity.gt(0)) levels.push({ side, price, recorded, quantity });
  }
  return levels;
}

/** The recorded quantity at `price` (compared as numbers: recordings pad decimals), or undefined when there is no such level. */
function quantityAt(levels: readonly RecordedLevel[], price: string | Decimal): string | undefined {
  const wanted = typeof price === 'string' ? price : undefined;
  for (const [levelPrice, quantity] of levels) {
    if (wanted !== undefined ? levelPrice === wanted : (price as Decimal).eq(levelPrice)) return quantity;
  }
  return undefined;
}

function unknownOrder(clientOrderId: string): OrderRecord {
  const request: ReplayOrderRequest = { clientOrderId, instrument: '', side: 'BUY', quantity: ZERO, limitPrice: null, timeInForce: 'IOC', postOnly: false };
  return { request, venueOrderId: '', status: 'REJECTED', filled: ZERO, notional: ZERO, queueAhead: ZERO };
}

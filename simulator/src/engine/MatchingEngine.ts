import { Decimal } from '@crossvenue/schemas';
import { Balances } from './Balances.ts';
import { checkFilters } from './checkFilters.ts';
import { Funds } from './Funds.ts';
import { EngineEvents } from './EngineEvents.ts';
import { EngineRejection } from './EngineRejection.ts';
import type { OrderFunds } from './OrderFunds.ts';
import { MarketUnits } from './MarketUnits.ts';
import { OrderRegistry, type OrderRef } from './OrderRegistry.ts';
import { OrderBook, open, type Level, type PriceLevel } from './OrderBook.ts';
import type { EngineEvent, Execution, Fees, MarketRules, Order, OrderRequest, Side, Trade } from './types.ts';

export interface MatchingEngineOptions {
  markets: MarketRules[];
  fees: Fees;
  /** Injected so a seeded run replays exactly. */
  clock: () => number;
  firstOrderId?: number;
  firstTradeId?: number;
  firstUpdateId?: number;
  /** The money side of orders; spot Funds when absent (a perpetual venue passes its margin model). */
  funds?: (engine: MatchingEngine) => OrderFunds;
}

export interface Amendment {
  quantity?: Decimal;
  price?: Decimal;
}

const ZERO = new Decimal(0);

/** One trade being made: who takes from whom, how much, and whether it completes either order. */
interface Fill {
  taker: Order;
  maker: Order;
  level: Level;
  quantity: Decimal;
  book: OrderBook;
  takerDone: boolean;
  makerDone: boolean;
}

/** One listed market: its rules, their integer units, and its book. */
interface Market {
  units: MarketUnits;
  book: OrderBook;
}

/**
 * A spot matching engine (or, with margin funds, a perpetual one: see Perpetuals): price-time priority per symbol, LIMIT / MARKET / post-only with GTC, IOC
 * and FOK, partial fills, maker/taker fees and locked funds (see Funds), and self-trade prevention EXPIRE_TAKER (Binance's default: the
 * taker's remainder expires with status EXPIRED_IN_MATCH). Pure: no I/O, time and ids injected.
 * Every operation emits its events synchronously, in order, to the listeners.
 */
export class MatchingEngine {
  readonly balances = new Balances();
  private readonly funds: OrderFunds;
  private readonly listed = new Map<string, Market>();
  private readonly orders = new OrderRegistry();
  private nextOrderId: number;
  private nextTradeId: number;
  private readonly events: EngineEvents;

  constructor(private readonly options: MatchingEngineOptions) {
    for (const rules of options.markets) {
      const units = new MarketUnits(rules);
      this.listed.set(rules.symbol, { units, book: new OrderBook(units) });
    }
    this.events = new EngineEvents(options.markets.map((market) => market.symbol), options.firstUpdateId ?? 1);
    this.nextOrderId = options.firstOrderId ?? 1;
    this.nextTradeId = options.firstTradeId ?? 1;
    this.funds = options.funds?.(this) ?? new Funds(this.balances, (symbol) => this.market(symbol));
  }

  get fees(): Fees {
    return this.options.fees;
  }

  now(): number {
    return this.options.clock();
  }

  onEvents(listener: (events: EngineEvent[]) => void): () => void {
    return this.events.onEvents(listener);
  }

  markets(): MarketRules[] {
    return [...this.listed.values()].map((market) => market.units.rules);
  }

  market(symbol: string): MarketRules {
    return this.listing(symbol).units.rules;
  }

  updateId(symbol: string): number {
    this.listing(symbol);
    return this.events.updateId(symbol);
  }

  depth(symbol: string, limit: number): { updateId: number; bids: PriceLevel[]; asks: PriceLevel[] } {
    const { book } = this.listing(symbol);
    // The levels as the API has them, without the book's integer price.
    const levels = (side: Level[]): PriceLevel[] => side.slice(0, limit).map(({ price, orders, total }) => ({ price, orders, total }));
    return { updateId: this.updateId(symbol), bids: levels(book.bids), asks: levels(book.asks) };
  }

  place(request: OrderRequest): Order {
    return this.operation(() => this.accept(request));
  }

  cancel(account: string, symbol: string, ref: OrderRef): Order {
    return this.operation(() => {
      const order = this.openOrder(account, symbol, ref);
      this.removeResting(order);
      this.finish(order, 'CANCELED');
      this.events.order(order, 'CANCELED');
      return { ...order };
    });
  }

  /**
   * Bybit-style amend, in place (the order id stays): a quantity decrease at the same price keeps
   * the order's queue position; any price change or increase re-queues it at the back, and may
   * match. https://bybit-exchange.github.io/docs/v5/order/amend-order
   */
  amend(account: string, symbol: string, ref: OrderRef, amendment: Amendment): Order {
    return this.operation(() => {
      const order = this.openOrder(account, symbol, ref);
      const market = this.listing(symbol);
      const quantity = amendment.quantity ?? order.quantity;
      const price = amendment.price ?? order.price;
      if (quantity.lte(order.executedQuantity)) throw new EngineRejection('INVALID_PARAMETER', 'quantity must exceed the executed quantity');
      checkFilters(market.units, { ...order, quantity, price }, undefined);
      // Refuse before touching anything, so a refused amendment leaves the order as it was.
      if (order.type === 'LIMIT_MAKER' && crosses(order.side, market.units.price(price), market.book.best(opposite(order.side)))) {
        throw new EngineRejection('WOULD_TAKE', 'Order would immediately match and take.');
      }
      this.funds.ensure(order, quantity, price);
      const keepPriority = price.eq(order.price) && quantity.lte(order.quantity);
      const resized = keepPriority ? market.book.resize(order, quantity) : undefined;
      if (!keepPriority) this.removeResting(order);
      this.release(order);
      order.quantity = quantity;
      order.price = price;
      order.updatedAt = this.now();
      this.reserve(order);
      this.events.order(order, 'REPLACED');
      if (resized) this.noteLevel(symbol, order.side, resized);
      else this.matchAndRest(order, market);
      return { ...order };
    });
  }

  /** The order, open or not; by id, or by client id among this account's orders. */
  order(account: string, symbol: string, ref: OrderRef): Order {
    const found = this.orders.find(account, ref);
    if (!found || found.account !== account || found.symbol !== symbol) throw new EngineRejection('UNKNOWN_ORDER', 'Order does not exist.');
    return { ...found };
  }

  openOrders(account: string, symbol?: string): Order[] {
    return this.orders.openOrders(account, symbol);
  }

  /** Every order of this account, open or finished, oldest first. */
  allOrders(account: string, symbol?: string): Order[] {
    return this.orders.allOrders(account, symbol);
  }

  /** This account's finished orders, oldest first. */
  closedOrders(account: string, symbol?: string): Order[] {
    return this.orders.closedOrders(account, symbol);
  }

  ownExecutions(account: string, symbol: string): Execution[] {
    return this.orders.executionsOf(account, symbol);
  }

  // ----- the operation: collect events, then flush book and balance changes once -----

  private operation<T>(work: () => T): T {
    try {
      return work();
    } finally {
      this.events.flush(this.now());
      this.funds.afterOperation?.();
    }
  }

  // ----- placing and matching -----

  private accept(request: OrderRequest): Order {
    const market = this.listing(request.symbol);
    const { units, book } = market;
    const best = book.best(opposite(request.side));
    checkFilters(units, request, best?.ticks);
    const clientOrderId = request.clientOrderId ?? `sim-${this.nextOrderId}`;
    if (this.orders.isOpen(request.account, clientOrderId)) {
      throw new EngineRejection('DUPLICATE_CLIENT_ORDER_ID', 'Duplicate order sent.');
    }
    const timeInForce = request.type === 'MARKET' ? 'IOC' : request.type === 'LIMIT_MAKER' ? 'GTC' : (request.timeInForce ?? 'GTC');
    const price = request.type === 'MARKET' ? ZERO : request.price!;
    if (request.type === 'LIMIT_MAKER' && crosses(request.side, units.price(price), best)) {
      throw new EngineRejection('WOULD_TAKE', 'Order would immediately match and take.');
    }
    const now = this.now();
    const order: Order = {
      orderId: this.nextOrderId,
      clientOrderId,
      account: request.account,
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      timeInForce,
      price,
      quantity: request.quantity,
      executedQuantity: ZERO,
      cumulativeQuote: ZERO,
      commission: ZERO,
      commissionAsset: request.side === 'BUY' ? units.rules.baseAsset : units.rules.quoteAsset,
      status: 'NEW',
      createdAt: now,
      updatedAt: now,
      locked: ZERO,
    };
    this.reserve(order);
    this.nextOrderId++;
    this.orders.add(order);
    this.events.order(order, 'NEW');
    if (timeInForce === 'FOK' && !this.canFill(order, market)) this.finish(order, 'EXPIRED');
    else this.matchAndRest(order, market);
    return { ...order };
  }

  private matchAndRest(order: Order, market: Market): void {
    const stoppedBySelfTrade = this.match(order, market);
    if (order.executedQuantity.eq(order.quantity)) return;
    if (stoppedBySelfTrade) this.finish(order, 'EXPIRED_IN_MATCH');
    else if (order.timeInForce === 'GTC') this.rest(order, market);
    else this.finish(order, 'EXPIRED');
  }

  /** Takes liquidity while the price allows; true if self-trade prevention stopped it. Counts in lots and ticks (MarketUnits). */
  private match(taker: Order, { units, book }: Market): boolean {
    const makerSide = opposite(taker.side);
    const limit = taker.type === 'MARKET' ? undefined : units.price(taker.price);
    let left = openLots(units, taker);
    for (;;) {
      const level = book.best(makerSide);
      if (!level || left === 0 || !crosses(taker.side, limit, level)) return false;
      const maker = level.orders[0]!;
      if (maker.account === taker.account) return true;
      const makerLeft = openLots(units, maker);
      let lots = Math.min(left, makerLeft);
      let quantity = lots === makerLeft ? open(maker) : open(taker);
      if (taker.type === 'MARKET' && taker.side === 'BUY') {
        quantity = this.funds.affordable(taker, level.price, quantity);
        lots = units.lots(quantity)!;
        if (lots === 0) return false;
      }
      this.fill({ taker, maker, level, quantity, book, takerDone: lots === left, makerDone: lots === makerLeft });
      left -= lots;
      if (lots === makerLeft) {
        level.orders.shift();
        book.dropEmptyBest(makerSide);
      }
      this.noteLevel(taker.symbol, makerSide, level);
    }
  }

  private fill({ taker, maker, level, quantity, book, takerDone, makerDone }: Fill): void {
    const trade: Trade = {
      tradeId: this.nextTradeId++,
      symbol: taker.symbol,
      price: maker.price,
      quantity,
      time: this.now(),
      buyerIsMaker: maker.side === 'BUY',
    };
    const quote = quantity.times(trade.price);
    book.reduce(level, quantity);
    this.events.trade(trade);
    this.events.order(maker, 'TRADE', this.settle(maker, trade, quote, true, makerDone));
    this.events.order(taker, 'TRADE', this.settle(taker, trade, quote, false, takerDone));
  }

  /**
   * Settles one side of a trade and records it as that owner's execution. A first fill takes the
   * trade's own values and a last one the order's quantity, rather than new equal Decimals: every
   * order is kept for its history, so what it holds is what the garbage collector copies.
   */
  private settle(order: Order, trade: Trade, quote: Decimal, isMaker: boolean, done: boolean): Execution {
    const { commission, commissionAsset, touched } = this.funds.settle(order, trade, quote, isMaker ? this.fees.maker : this.fees.taker);
    order.executedQuantity = done ? order.quantity : order.executedQuantity.isZero() ? trade.quantity : order.executedQuantity.plus(trade.quantity);
    order.cumulativeQuote = order.cumulativeQuote.isZero() ? quote : order.cumulativeQuote.plus(quote);
    order.commission = order.commission.isZero() ? commission : order.commission.plus(commission);
    order.status = done ? 'FILLED' : 'PARTIALLY_FILLED';
    order.updatedAt = trade.time;
    if (order.status === 'FILLED') this.orders.closed(order);
    this.touch(order.account, touched);
    const execution: Execution = { trade, orderId: order.orderId, account: order.account, side: order.side, isMaker, commission, commissionAsset };
    this.orders.recordExecution(execution);
    return execution;
  }

  /**
   * Whether a FOK order could fill whole right now, stopping where self-trade prevention would.
   * The sum stops once it covers the order, so it stays below twice the largest quantity: a safe integer.
   */
  private canFill(order: Order, { units, book }: Market): boolean {
    const wanted = units.lots(order.quantity)!;
    const limit = order.type === 'MARKET' ? undefined : units.price(order.price);
    let total = 0;
    for (const level of book.levels(opposite(order.side))) {
      if (!crosses(order.side, limit, level)) return false;
      for (const maker of level.orders) {
        if (maker.account === order.account) return false;
        total += openLots(units, maker);
        if (total >= wanted) return true;
      }
    }
    return false;
  }

  private rest(order: Order, market: Market): void {
    const level = market.book.add(order);
    this.orders.opened(order);
    this.noteLevel(order.symbol, order.side, level);
  }

  private removeResting(order: Order): void {
    const level = this.listing(order.symbol).book.remove(order);
    if (level) this.noteLevel(order.symbol, order.side, level);
  }

  /** Ends an order's life with its remainder unfilled; unlocks what backed the remainder. */
  private finish(order: Order, status: 'CANCELED' | 'EXPIRED' | 'EXPIRED_IN_MATCH'): void {
    this.release(order);
    order.status = status;
    order.updatedAt = this.now();
    this.orders.closed(order);
    if (status !== 'CANCELED') this.events.order(order, 'EXPIRED');
  }

  private reserve(order: Order): void {
    this.touch(order.account, this.funds.reserve(order));
  }

  private release(order: Order): void {
    this.touch(order.account, this.funds.release(order));
  }

  private openOrder(account: string, symbol: string, ref: OrderRef): Order {
    const order = this.orders.find(account, ref);
    if (!order || order.account !== account || order.symbol !== symbol) throw new EngineRejection('UNKNOWN_ORDER', 'Order does not exist.');
    if (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED') throw new EngineRejection('ORDER_NOT_OPEN', 'Unknown order sent.');
    return order;
  }

  private listing(symbol: string): Market {
    const market = this.listed.get(symbol);
    if (!market) throw new EngineRejection('UNKNOWN_SYMBOL', `unknown symbol ${symbol}`);
    return market;
  }

  /** A level's total as it now stands (zero once emptied) goes into the operation's book event. */
  private noteLevel(symbol: string, side: Side, level: Level): void {
    this.events.level(symbol, side, level.ticks, level.price, level.total);
  }

  private touch(account: string, assets: readonly string[]): void {
    this.events.balances(account, assets);
  }
}

function opposite(side: Side): Side {
  return side === 'BUY' ? 'SELL' : 'BUY';
}

/** Whether an order at `limit` (in units; undefined for a market order, which takes any price) would take from `level`. */
function crosses(side: Side, limit: number | undefined, level: Level | undefined): boolean {
  if (!level) return false;
  if (limit === undefined) return true;
  return side === 'BUY' ? limit >= level.ticks : limit <= level.ticks;
}

/** An accepted order's open quantity in lots. */
function openLots(units: MarketUnits, order: Order): number {
  return units.lots(order.quantity)! - units.lots(order.executedQuantity)!;
}

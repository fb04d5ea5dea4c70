import { Decimal } from '@crossvenue/schemas';
import { Balances } from './Balances.ts';
import { checkFilters } from './checkFilters.ts';
import { Funds } from './Funds.ts';
import { EngineEvents } from './EngineEvents.ts';
import { EngineRejection } from './EngineRejection.ts';
import type { OrderFunds } from './OrderFunds.ts';
import { OrderRegistry, type OrderRef } from './OrderRegistry.ts';
import { OrderBook, open, type PriceLevel } from './OrderBook.ts';
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

/**
 * A spot matching engine (or, with margin funds, a perpetual one: see Perpetuals): price-time priority per symbol, LIMIT / MARKET / post-only with GTC, IOC
 * and FOK, partial fills, maker/taker fees and locked funds (see Funds), and self-trade prevention EXPIRE_TAKER (Binance's default: the
 * taker's remainder expires with status EXPIRED_IN_MATCH). Pure: no I/O, time and ids injected.
 * Every operation emits its events synchronously, in order, to the listeners.
 */
export class MatchingEngine {
  readonly balances = new Balances();
  private readonly funds: OrderFunds;
  private readonly rules = new Map<string, MarketRules>();
  private readonly books = new Map<string, OrderBook>();
  private readonly orders = new OrderRegistry();
  private nextOrderId: number;
  private nextTradeId: number;
  private readonly events: EngineEvents;

  constructor(private readonly options: MatchingEngineOptions) {
    for (const market of options.markets) {
      this.rules.set(market.symbol, market);
      this.books.set(market.symbol, new OrderBook());
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
    return [...this.rules.values()];
  }

  market(symbol: string): MarketRules {
    const rules = this.rules.get(symbol);
    if (!rules) throw new EngineRejection('UNKNOWN_SYMBOL', `unknown symbol ${symbol}`);
    return rules;
  }

  updateId(symbol: string): number {
    this.market(symbol);
    return this.events.updateId(symbol);
  }

  depth(symbol: string, limit: number): { updateId: number; bids: PriceLevel[]; asks: PriceLevel[] } {
    const book = this.book(symbol);
    return { updateId: this.updateId(symbol), bids: book.bids.slice(0, limit), asks: book.asks.slice(0, limit) };
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
      const quantity = amendment.quantity ?? order.quantity;
      const price = amendment.price ?? order.price;
      if (quantity.lte(order.executedQuantity)) throw new EngineRejection('INVALID_PARAMETER', 'quantity must exceed the executed quantity');
      checkFilters(this.market(symbol), { ...order, quantity, price }, undefined);
      // Refuse before touching anything, so a refused amendment leaves the order as it was.
      if (order.type === 'LIMIT_MAKER' && this.crosses(order.side, price, this.book(symbol).best(order.side === 'BUY' ? 'SELL' : 'BUY'))) {
        throw new EngineRejection('WOULD_TAKE', 'Order would immediately match and take.');
      }
      this.funds.ensure(order, quantity, price);
      const keepPriority = price.eq(order.price) && quantity.lte(order.quantity);
      if (keepPriority) this.book(symbol).resize(order, quantity);
      else this.removeResting(order);
      this.release(order);
      order.quantity = quantity;
      order.price = price;
      order.updatedAt = this.now();
      this.reserve(order);
      this.events.order(order, 'REPLACED');
      if (keepPriority) this.noteLevel(symbol, order.side, price);
      else this.matchAndRest(order);
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
    }
  }

  // ----- placing and matching -----

  private accept(request: OrderRequest): Order {
    const rules = this.market(request.symbol);
    const book = this.book(request.symbol);
    const opposite: Side = request.side === 'BUY' ? 'SELL' : 'BUY';
    checkFilters(rules, request, book.best(opposite)?.price);
    const clientOrderId = request.clientOrderId ?? `sim-${this.nextOrderId}`;
    if (this.orders.isOpen(request.account, clientOrderId)) {
      throw new EngineRejection('DUPLICATE_CLIENT_ORDER_ID', 'Duplicate order sent.');
    }
    const timeInForce = request.type === 'MARKET' ? 'IOC' : request.type === 'LIMIT_MAKER' ? 'GTC' : (request.timeInForce ?? 'GTC');
    const price = request.type === 'MARKET' ? ZERO : request.price!;
    if (request.type === 'LIMIT_MAKER' && this.crosses(request.side, price, book.best(opposite))) {
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
      commissionAsset: request.side === 'BUY' ? rules.baseAsset : rules.quoteAsset,
      status: 'NEW',
      createdAt: now,
      updatedAt: now,
      locked: ZERO,
    };
    this.reserve(order);
    this.nextOrderId++;
    this.orders.add(order);
    this.events.order(order, 'NEW');
    if (timeInForce === 'FOK' && this.fillable(order).lt(order.quantity)) this.finish(order, 'EXPIRED');
    else this.matchAndRest(order);
    return { ...order };
  }

  private matchAndRest(order: Order): void {
    const stoppedBySelfTrade = this.match(order);
    if (open(order).isZero()) return;
    if (stoppedBySelfTrade) this.finish(order, 'EXPIRED_IN_MATCH');
    else if (order.timeInForce === 'GTC') this.rest(order);
    else this.finish(order, 'EXPIRED');
  }

  /** Takes liquidity while the price allows; true if self-trade prevention stopped it. */
  private match(taker: Order): boolean {
    const book = this.book(taker.symbol);
    const makerSide: Side = taker.side === 'BUY' ? 'SELL' : 'BUY';
    for (;;) {
      const level = book.best(makerSide);
      if (!level || open(taker).isZero() || !this.crosses(taker.side, taker.price, level, taker.type === 'MARKET')) return false;
      const maker = level.orders[0]!;
      if (maker.account === taker.account) return true;
      let quantity = Decimal.min(open(taker), open(maker));
      if (taker.type === 'MARKET' && taker.side === 'BUY') {
        quantity = this.funds.affordable(taker, level.price, quantity);
        if (quantity.isZero()) return false;
      }
      this.fill(taker, maker, level, quantity);
      if (open(maker).isZero()) {
        level.orders.shift();
        book.dropEmptyBest(makerSide);
      }
      this.noteLevel(taker.symbol, makerSide, level.price);
    }
  }

  private fill(taker: Order, maker: Order, level: PriceLevel, quantity: Decimal): void {
    const trade: Trade = {
      tradeId: this.nextTradeId++,
      symbol: taker.symbol,
      price: maker.price,
      quantity,
      time: this.now(),
      buyerIsMaker: maker.side === 'BUY',
    };
    this.book(taker.symbol).reduce(level, quantity);
    this.events.trade(trade);
    for (const [order, isMaker] of [[maker, true], [taker, false]] as const) {
      const execution = this.settle(order, trade, isMaker);
      this.events.order(order, 'TRADE', execution);
    }
  }

  /** Settles one side of a trade and records it as that owner's execution. */
  private settle(order: Order, trade: Trade, isMaker: boolean): Execution {
    const { commission, commissionAsset, touched } = this.funds.settle(order, trade, isMaker ? this.fees.maker : this.fees.taker);
    order.executedQuantity = order.executedQuantity.plus(trade.quantity);
    order.cumulativeQuote = order.cumulativeQuote.plus(trade.quantity.times(trade.price));
    order.commission = order.commission.plus(commission);
    order.status = open(order).isZero() ? 'FILLED' : 'PARTIALLY_FILLED';
    order.updatedAt = trade.time;
    if (order.status === 'FILLED') this.orders.closed(order);
    this.touch(order.account, ...touched);
    const execution: Execution = { trade, orderId: order.orderId, account: order.account, side: order.side, isMaker, commission, commissionAsset };
    this.orders.recordExecution(execution);
    return execution;
  }

  /** How much a FOK order could fill right now, stopping where self-trade prevention would. */
  private fillable(order: Order): Decimal {
    let total = ZERO;
    for (const level of this.book(order.symbol).levels(order.side === 'BUY' ? 'SELL' : 'BUY')) {
      if (!this.crosses(order.side, order.price, level)) break;
      for (const maker of level.orders) {
        if (maker.account === order.account) return total;
        total = total.plus(open(maker));
      }
    }
    return total;
  }

  private crosses(side: Side, price: Decimal, level: PriceLevel | undefined, anyPrice = false): boolean {
    if (!level) return false;
    if (anyPrice) return true;
    return side === 'BUY' ? price.gte(level.price) : price.lte(level.price);
  }

  private rest(order: Order): void {
    this.book(order.symbol).add(order);
    this.orders.opened(order);
    this.noteLevel(order.symbol, order.side, order.price);
  }

  private removeResting(order: Order): void {
    if (this.book(order.symbol).remove(order)) this.noteLevel(order.symbol, order.side, order.price);
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
    this.touch(order.account, ...this.funds.reserve(order));
  }

  private release(order: Order): void {
    this.touch(order.account, ...this.funds.release(order));
  }

  private openOrder(account: string, symbol: string, ref: OrderRef): Order {
    const snapshot = this.order(account, symbol, ref);
    const order = this.orders.find(account, { orderId: snapshot.orderId })!;
    if (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED') throw new EngineRejection('ORDER_NOT_OPEN', 'Unknown order sent.');
    return order;
  }

  private book(symbol: string): OrderBook {
    this.market(symbol);
    return this.books.get(symbol)!;
  }

  private noteLevel(symbol: string, side: Side, price: Decimal): void {
    this.events.level(symbol, side, price, this.book(symbol).totalAt(side, price));
  }

  private touch(account: string, ...assets: string[]): void {
    this.events.balances(account, assets);
  }
}

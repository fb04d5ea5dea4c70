import { Decimal } from '@crossvenue/schemas';
import { FundingRates } from './FundingRates.ts';
import { Liquidations } from './Liquidations.ts';
import { accountRisk, initialMargin, openingQuantity, type AccountRisk } from './MarginRisk.ts';
import type { MatchingEngine } from './MatchingEngine.ts';
import type { OrderFunds } from './OrderFunds.ts';
import { PerpetualRejection } from './PerpetualRejection.ts';
import { PositionBook } from './PositionBook.ts';
import type { Order, OrderRequest, Side, Trade } from './types.ts';

export type IncomeType = 'FUNDING_FEE' | 'REALIZED_PNL' | 'COMMISSION';

/** One change of an account's margin-asset wallet, as Binance's income history lists it. */
export interface Income {
  tranId: number;
  account: string;
  symbol: string;
  incomeType: IncomeType;
  /** Signed: positive credited, negative debited. */
  income: Decimal;
  asset: string;
  time: number;
  /** The trade behind a REALIZED_PNL or COMMISSION income. */
  tradeId?: number;
}

export interface PerpetualsOptions {
  symbols: readonly string[];
  /** The asset margin, PnL, fees and funding are in (USDT). */
  marginAsset: string;
  /** Seeds the default funding rates. */
  seed: number;
  fundingIntervalMs: number;
  clock: () => number;
}

/** Binance pays funding in 8-place amounts of the margin asset. */
const FUNDING_PLACES = 8;
const ZERO = new Decimal(0);

/**
 * Linear perpetuals over the matching engine, one-way position mode: a fill moves the account's
 * signed position (PositionBook), never its base balance; fees, realized PnL and funding move the
 * margin-asset wallet (the engine's balance of `marginAsset`). New orders need their opening part's
 * initial margin (notional / leverage) available; reduce-only orders may only reduce. Funding is
 * settled by `settleFunding` (a venue calls it every interval): payment = −amount × mark × rate,
 * so longs pay a positive rate. The mark price is the book mid, so it may move with any engine
 * operation: after each one, and after each funding round, a position past its liquidation price
 * (MarginRisk) is liquidated (Liquidations).
 */
export class Perpetuals {
  readonly positions: PositionBook;
  readonly funding: FundingRates;
  readonly liquidations: Liquidations;
  private engine: MatchingEngine | undefined;
  private readonly incomes: Income[] = [];
  private nextTranId = 1;
  /** Realized PnL of each execution, by `orderId:tradeId`. */
  private readonly realized = new Map<string, Decimal>();
  private readonly reduceOnly = new Set<number>();
  private readonly lastPrices = new Map<string, Decimal>();
  private readonly fundingListeners: Array<(payments: Income[]) => void> = [];
  private nextFunding: number;

  constructor(private readonly options: PerpetualsOptions) {
    this.positions = new PositionBook(options.clock);
    this.funding = new FundingRates(options.symbols, options.seed);
    this.liquidations = new Liquidations(this, () => this.attached());
    this.nextFunding = options.clock() + options.fundingIntervalMs;
  }

  get marginAsset(): string {
    return this.options.marginAsset;
  }

  /** When the next funding is due (Binance's nextFundingTime). */
  get nextFundingTime(): number {
    return this.nextFunding;
  }

  /** The engine's money side (MatchingEngineOptions.funds): margin instead of spot balances. */
  readonly funds = (engine: MatchingEngine): OrderFunds => {
    this.engine = engine;
    return {
      reserve: (order) => this.checkMargin(order, order.quantity, order.price),
      release: () => [],
      ensure: (order, quantity, price) => void this.checkMargin(order, quantity, price),
      affordable: (_order, _price, wanted) => wanted,
      settle: (order, trade, quote, rate) => this.settle(order, trade, quote, rate),
      afterOperation: () => this.liquidations.run(),
    };
  };

  /** Places an order; a reduce-only one is refused unless it only reduces the position. */
  place(request: OrderRequest, reduceOnly: boolean): Order {
    if (reduceOnly) {
      const { amount } = this.positions.get(request.account, request.symbol);
      if (!openingQuantity(amount, request.side, request.quantity).isZero()) {
        throw new PerpetualRejection('REDUCE_ONLY_REJECTED', 'ReduceOnly Order is rejected.');
      }
    }
    const order = this.attached().place(request);
    if (reduceOnly) this.reduceOnly.add(order.orderId);
    return order;
  }

  isReduceOnly(orderId: number): boolean {
    return this.reduceOnly.has(orderId);
  }

  realizedPnl(orderId: number, tradeId: number): Decimal {
    return this.realized.get(`${orderId}:${tradeId}`) ?? ZERO;
  }

  /** The book mid; one side's best when the other is empty; else the last trade price (zero before any). */
  markPrice(symbol: string): Decimal {
    const { bids, asks } = this.attached().depth(symbol, 1);
    const [bid, ask] = [bids[0]?.price, asks[0]?.price];
    if (bid && ask) return bid.plus(ask).div(2);
    return bid ?? ask ?? this.lastPrices.get(symbol) ?? ZERO;
  }

  /** The account's wallet, margins and positions at the current mark prices. */
  risk(account: string): AccountRisk {
    const engine = this.attached();
    const inputs = this.positions.of(account).map(([symbol, position]) => {
      const markPrice = this.markPrice(symbol);
      const orders = engine.openOrders(account, symbol);
      const openOrderInitialMargin = orders.reduce((total, order) => total.plus(this.orderMargin(order, order.quantity.minus(order.executedQuantity), order.price)), ZERO);
      return { symbol, position, markPrice, openOrderInitialMargin };
    });
    return accountRisk(engine.balances.get(account, this.marginAsset).free, inputs);
  }

  /** The account's incomes, oldest first. */
  income(account: string): Income[] {
    return this.incomes.filter((income) => income.account === account);
  }

  setFundingRate(symbol: string, rate: Decimal): void {
    this.funding.set(symbol, rate);
  }

  onFunding(listener: (payments: Income[]) => void): void {
    this.fundingListeners.push(listener);
  }

  /** Settles one funding round now for every symbol; returns the payments made. */
  settleFunding(): Income[] {
    const time = this.options.clock();
    const payments: Income[] = [];
    for (const symbol of this.options.symbols) {
      const markPrice = this.markPrice(symbol);
      const fundingRate = this.funding.rate(symbol);
      this.funding.record({ symbol, fundingRate, fundingTime: time, markPrice });
      for (const [account, held, position] of this.positions.open()) {
        if (held !== symbol) continue;
        const payment = position.amount.times(markPrice).times(fundingRate).negated().toDecimalPlaces(FUNDING_PLACES);
        payments.push(this.book(account, symbol, 'FUNDING_FEE', payment, time));
      }
    }
    this.nextFunding = time + this.options.fundingIntervalMs;
    if (payments.length > 0) for (const listener of this.fundingListeners) listener(payments);
    // A payment moves the wallet, and with it a cross position's liquidation price.
    this.liquidations.run();
    return payments;
  }

  // ----- the engine's side -----

  /** Throws unless the opening part of the order's open quantity has its initial margin available. */
  private checkMargin(order: Order, quantity: Decimal, price: Decimal): string[] {
    const needed = this.orderMargin(order, quantity.minus(order.executedQuantity), price);
    if (needed.gt(0) && needed.gt(this.risk(order.account).availableBalance)) {
      throw new PerpetualRejection('MARGIN_INSUFFICIENT', 'Margin is insufficient.');
    }
    return [];
  }

  /** A market order's margin is taken at the mark price, as it has no price of its own. */
  private orderMargin(order: Pick<Order, 'account' | 'symbol' | 'side' | 'type'>, open: Decimal, price: Decimal): Decimal {
    const { amount, leverage } = this.positions.get(order.account, order.symbol);
    const at = order.type === 'MARKET' ? this.markPrice(order.symbol) : price;
    return initialMargin(openingQuantity(amount, order.side as Side, open), at, leverage);
  }

  /** One side of a trade: the position moves, the wallet takes the realized PnL and pays the fee. */
  private settle(order: Order, trade: Trade, quote: Decimal, rate: Decimal) {
    const commission = quote.times(rate);
    const realized = this.positions.fill(order.account, order.symbol, order.side, trade.quantity, trade.price);
    this.realized.set(`${order.orderId}:${trade.tradeId}`, realized);
    this.lastPrices.set(order.symbol, trade.price);
    if (!realized.isZero()) this.book(order.account, order.symbol, 'REALIZED_PNL', realized, trade.time, trade.tradeId);
    if (!commission.isZero()) this.book(order.account, order.symbol, 'COMMISSION', commission.negated(), trade.time, trade.tradeId);
    return { commission, commissionAsset: this.marginAsset, touched: [this.marginAsset] };
  }

  /**
   * Moves the wallet by `amount` and records the income. A loss may still take the wallet below
   * zero: an owner's own order may close past the bankruptcy price, and there is no insurance fund.
   */
  private book(account: string, symbol: string, incomeType: IncomeType, amount: Decimal, time: number, tradeId?: number): Income {
    this.attached().balances.credit(account, this.marginAsset, amount);
    const income: Income = { tranId: this.nextTranId++, account, symbol, incomeType, income: amount, asset: this.marginAsset, time, ...(tradeId === undefined ? {} : { tradeId }) };
    this.incomes.push(income);
    return income;
  }

  private attached(): MatchingEngine {
    if (!this.engine) throw new Error('Perpetuals: not attached to a matching engine (pass `funds` to it)');
    return this.engine;
  }
}

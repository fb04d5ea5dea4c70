import { Decimal } from '@crossvenue/schemas';
import type { Balances } from './Balances.ts';
import { EngineRejection } from './EngineRejection.ts';
import type { MarketRules, Order, Trade } from './types.ts';

const ZERO = new Decimal(0);

/**
 * The money side of orders: what an open order locks (quote at its limit price for a buy, base
 * for a sell; a market buy locks nothing and spends free quote as it fills), and how one side of
 * a trade pays, receives and is charged its fee (taken from what it receives, as Binance does
 * without BNB). Each method returns the assets it touched, for the balance events.
 */
export class Funds {
  constructor(
    private readonly balances: Balances,
    private readonly market: (symbol: string) => MarketRules,
  ) {}

  /** The asset an order locks. */
  private lockedAsset(order: Order): string {
    const { baseAsset, quoteAsset } = this.market(order.symbol);
    return order.side === 'BUY' ? quoteAsset : baseAsset;
  }

  /** How much of its asset an order locks for its open quantity at `price`. */
  private need(order: Order, quantity: Decimal, price: Decimal): Decimal {
    const remaining = order.executedQuantity.isZero() ? quantity : quantity.minus(order.executedQuantity);
    return order.side === 'BUY' ? remaining.times(price) : remaining;
  }

  reserve(order: Order): string[] {
    if (order.type === 'MARKET' && order.side === 'BUY') return [];
    const asset = this.lockedAsset(order);
    const amount = this.need(order, order.quantity, order.price);
    this.balances.lock(order.account, asset, amount);
    order.locked = amount;
    return [asset];
  }

  release(order: Order): string[] {
    if (order.locked.isZero()) return [];
    const asset = this.lockedAsset(order);
    this.balances.unlock(order.account, asset, order.locked);
    order.locked = ZERO;
    return [asset];
  }

  /** Throws unless the account could lock what the order would need at `quantity` and `price`. */
  ensure(order: Order, quantity: Decimal, price: Decimal): void {
    const asset = this.lockedAsset(order);
    const needed = this.need(order, quantity, price);
    if (this.balances.get(order.account, asset).free.plus(order.locked).lt(needed)) {
      throw new EngineRejection('INSUFFICIENT_BALANCE', `account ${order.account} has insufficient ${asset} for the requested action`);
    }
  }

  /** How much of `wanted` a market buy can pay for at `price`, in whole lot steps. */
  affordable(order: Order, price: Decimal, wanted: Decimal): Decimal {
    const { quoteAsset, stepSize } = this.market(order.symbol);
    const free = this.balances.get(order.account, quoteAsset).free;
    if (wanted.times(price).lte(free)) return wanted;
    return free.div(price).div(stepSize).floor().times(stepSize);
  }

  /** Moves one side's funds for a trade (`quote`: its quantity × price); returns its commission, in the asset it received. */
  settle(order: Order, trade: Trade, quote: Decimal, rate: Decimal): { commission: Decimal; commissionAsset: string; touched: string[] } {
    const { baseAsset, quoteAsset } = this.market(order.symbol);
    const buy = order.side === 'BUY';
    const paid = buy ? quote : trade.quantity;
    const paidAsset = buy ? quoteAsset : baseAsset;
    const received = buy ? trade.quantity : quote;
    const receivedAsset = buy ? baseAsset : quoteAsset;
    if (order.type === 'MARKET' && buy) this.balances.debit(order.account, quoteAsset, quote);
    else {
      // A buy limit locked its own price; filling at a better maker price returns the difference.
      const released = !buy || order.price.eq(trade.price) ? paid : trade.quantity.times(order.price);
      this.balances.spendLocked(order.account, paidAsset, paid);
      if (released !== paid && released.gt(paid)) this.balances.unlock(order.account, paidAsset, released.minus(paid));
      // The last fill frees all that was locked: the shared zero, not a new Decimal kept with the order.
      order.locked = order.locked.eq(released) ? ZERO : order.locked.minus(released);
    }
    const commission = received.times(rate);
    this.balances.credit(order.account, receivedAsset, received.minus(commission));
    return { commission, commissionAsset: receivedAsset, touched: [paidAsset, receivedAsset] };
  }
}


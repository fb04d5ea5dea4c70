import { Decimal } from '@crossvenue/schemas';
import type { Order, Side } from './types.ts';

/** One price level: its resting orders in arrival order and their total open quantity. */
export interface PriceLevel {
  price: Decimal;
  orders: Order[];
  total: Decimal;
}

/**
 * One symbol's resting orders with price-time priority: levels sorted best first (bids high to
 * low, asks low to high), orders within a level in arrival order.
 */
export class OrderBook {
  readonly bids: PriceLevel[] = [];
  readonly asks: PriceLevel[] = [];

  levels(side: Side): PriceLevel[] {
    return side === 'BUY' ? this.bids : this.asks;
  }

  best(side: Side): PriceLevel | undefined {
    return this.levels(side)[0];
  }

  /** Appends at the back of its level's queue. */
  add(order: Order): PriceLevel {
    const levels = this.levels(order.side);
    const index = this.search(order.side, order.price);
    let level = levels[index];
    if (!level || !level.price.eq(order.price)) {
      level = { price: order.price, orders: [], total: new Decimal(0) };
      levels.splice(index, 0, level);
    }
    level.orders.push(order);
    level.total = level.total.plus(open(order));
    return level;
  }

  /** Removes a resting order; returns its level (possibly now empty and gone from the book). */
  remove(order: Order): PriceLevel | undefined {
    const levels = this.levels(order.side);
    const index = this.search(order.side, order.price);
    const level = levels[index];
    if (!level || !level.price.eq(order.price)) return undefined;
    const at = level.orders.indexOf(order);
    if (at < 0) return undefined;
    level.orders.splice(at, 1);
    level.total = level.total.minus(open(order));
    if (level.orders.length === 0) levels.splice(index, 1);
    return level;
  }

  /** Changes a resting order's quantity where it stands in the queue. */
  resize(order: Order, quantity: Decimal): void {
    const level = this.levels(order.side)[this.search(order.side, order.price)]!;
    level.total = level.total.plus(quantity.minus(order.quantity));
    order.quantity = quantity;
  }

  /** Adjusts a level's total after a resting order's open quantity shrank by `filled`. */
  reduce(level: PriceLevel, filled: Decimal): void {
    level.total = level.total.minus(filled);
  }

  dropEmptyBest(side: Side): void {
    const levels = this.levels(side);
    if (levels[0] && levels[0].orders.length === 0) levels.shift();
  }

  /** The total open quantity at a price, zero if no level. */
  totalAt(side: Side, price: Decimal): Decimal {
    const level = this.levels(side)[this.search(side, price)];
    return level && level.price.eq(price) ? level.total : new Decimal(0);
  }

  /** Binary search for the index where `price` is or would be inserted on `side`. */
  private search(side: Side, price: Decimal): number {
    const levels = this.levels(side);
    let low = 0;
    let high = levels.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const comparison = levels[mid]!.price.cmp(price);
      const before = side === 'BUY' ? comparison > 0 : comparison < 0;
      if (before) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

export function open(order: Order): Decimal {
  return order.quantity.minus(order.executedQuantity);
}

import type { Decimal } from '@crossvenue/schemas';
import type { MarketUnits } from './MarketUnits.ts';
import type { Order, Side } from './types.ts';

/** One price level: its resting orders in arrival order and their total open quantity. */
export interface PriceLevel {
  price: Decimal;
  orders: Order[];
  total: Decimal;
}

/** A level as the book keeps it: also its price in integer units (MarketUnits), which order the levels. */
export interface Level extends PriceLevel {
  ticks: number;
}

/**
 * One symbol's resting orders with price-time priority: levels sorted best first (bids high to
 * low, asks low to high), orders within a level in arrival order. Levels are found by binary
 * search on their integer price, so no Decimal is compared on the way.
 */
export class OrderBook {
  readonly bids: Level[] = [];
  readonly asks: Level[] = [];

  constructor(private readonly units: MarketUnits) {}

  levels(side: Side): Level[] {
    return side === 'BUY' ? this.bids : this.asks;
  }

  best(side: Side): Level | undefined {
    return this.levels(side)[0];
  }

  /** Appends at the back of its level's queue. */
  add(order: Order): Level {
    const levels = this.levels(order.side);
    const ticks = this.units.price(order.price)!;
    const index = search(levels, order.side, ticks);
    let level = levels[index];
    if (!level || level.ticks !== ticks) {
      level = { ticks, price: order.price, orders: [], total: open(order) };
      levels.splice(index, 0, level);
    } else level.total = level.total.plus(open(order));
    level.orders.push(order);
    return level;
  }

  /** Removes a resting order; returns its level (possibly now empty and gone from the book). */
  remove(order: Order): Level | undefined {
    const levels = this.levels(order.side);
    const ticks = this.units.price(order.price)!;
    const index = search(levels, order.side, ticks);
    const level = levels[index];
    if (!level || level.ticks !== ticks) return undefined;
    const at = level.orders.indexOf(order);
    if (at < 0) return undefined;
    level.orders.splice(at, 1);
    level.total = level.total.minus(open(order));
    if (level.orders.length === 0) levels.splice(index, 1);
    return level;
  }

  /** Changes a resting order's quantity where it stands in the queue. */
  resize(order: Order, quantity: Decimal): Level {
    const levels = this.levels(order.side);
    const level = levels[search(levels, order.side, this.units.price(order.price)!)]!;
    level.total = level.total.plus(quantity.minus(order.quantity));
    order.quantity = quantity;
    return level;
  }

  /** Adjusts a level's total after a resting order's open quantity shrank by `filled`. */
  reduce(level: Level, filled: Decimal): void {
    level.total = level.total.minus(filled);
  }

  dropEmptyBest(side: Side): void {
    const levels = this.levels(side);
    if (levels[0] && levels[0].orders.length === 0) levels.shift();
  }
}

/** Binary search for the index where `ticks` is or would be inserted on `side`. */
function search(levels: Level[], side: Side, ticks: number): number {
  let low = 0;
  let high = levels.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    const at = levels[mid]!.ticks;
    if (side === 'BUY' ? at > ticks : at < ticks) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function open(order: Order): Decimal {
  return order.executedQuantity.isZero() ? order.quantity : order.quantity.minus(order.executedQuantity);
}

import { Decimal } from '@crossvenue/schemas';

export interface Level {
  /** As the venue wrote it: checksums (OKX, Kraken) are computed over the original text. */
  price: string;
  quantity: string;
  /** Parsed once, for ordering. */
  value: Decimal;
}

export type Side = 'bids' | 'asks';
export type WireLevel = readonly [price: string, quantity: string, ...rest: unknown[]];

/**
 * One instrument's L2 book, kept sorted (bids high to low, asks low to high). A level with a zero
 * quantity removes the price. Updates are O(log n) to find plus O(n) to shift, which for the
 * depths venues send (≤ 1000 levels) beats a tree in practice.
 */
export class LocalBook {
  readonly bids: Level[] = [];
  readonly asks: Level[] = [];

  clear(): void {
    this.bids.length = 0;
    this.asks.length = 0;
  }

  apply(side: Side, levels: readonly WireLevel[]): void {
    for (const [price, quantity] of levels) this.set(side, price, quantity);
  }

  set(side: Side, price: string, quantity: string): void {
    const levels = this[side];
    const value = new Decimal(price);
    const index = this.search(side, value);
    const found = index < levels.length && levels[index]!.value.equals(value);
    if (new Decimal(quantity).isZero()) {
      if (found) levels.splice(index, 1);
    } else if (found) {
      levels[index] = { price, quantity, value };
    } else {
      levels.splice(index, 0, { price, quantity, value });
    }
  }

  top(depth: number): { bids: Array<[string, string]>; asks: Array<[string, string]> } {
    const take = (levels: Level[]) => levels.slice(0, depth).map((level): [string, string] => [level.price, level.quantity]);
    return { bids: take(this.bids), asks: take(this.asks) };
  }

  /** A crossed book (best bid ≥ best ask) means a missed update: never publish it. */
  crossed(): boolean {
    const [bid, ask] = [this.bids[0], this.asks[0]];
    return bid !== undefined && ask !== undefined && bid.value.greaterThanOrEqualTo(ask.value);
  }

  /** The first index whose price is not better than `value` on that side. */
  private search(side: Side, value: Decimal): number {
    const levels = this[side];
    let low = 0;
    let high = levels.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const comparison = levels[middle]!.value.comparedTo(value);
      const better = side === 'bids' ? comparison > 0 : comparison < 0;
      if (better) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

import { compareDecimalText, isZeroNumeral } from './compareDecimalText.ts';

export interface Level {
  /** As the venue wrote it: checksums (OKX, Kraken) are computed over the original text. */
  price: string;
  quantity: string;
}

/** A level as a book event carries it: made when the level changes, then shared by every event until it changes again. */
export type TopLevel = readonly [price: string, quantity: string];

/** A held level: its fields, and the tuple events share. */
interface HeldLevel extends Level {
  top: TopLevel;
}

export type Side = 'bids' | 'asks';
export type WireLevel = readonly [price: string, quantity: string, ...rest: unknown[]];

/**
 * One instrument's L2 book, kept sorted (bids high to low, asks low to high). A level with a zero
 * quantity removes the price. Updates are O(log n) to find plus O(n) to shift, which for the
 * depths venues send (≤ 1000 levels) beats a tree in practice. Prices are ordered exactly on their
 * text (compareDecimalText); levels are also indexed by that text, since a venue spells a price the
 * same way every time, so most updates (a changed or removed level) need no search at all.
 */
export class LocalBook {
  readonly bids: HeldLevel[] = [];
  readonly asks: HeldLevel[] = [];
  private readonly byText = { bids: new Map<string, HeldLevel>(), asks: new Map<string, HeldLevel>() };

  clear(): void {
    this.bids.length = 0;
    this.asks.length = 0;
    this.byText.bids.clear();
    this.byText.asks.clear();
  }

  apply(side: Side, levels: readonly WireLevel[]): void {
    for (const [price, quantity] of levels) this.set(side, price, quantity);
  }

  set(side: Side, price: string, quantity: string): void {
    const known = this.byText[side].get(price);
    if (known) {
      if (isZeroNumeral(quantity)) this.remove(side, known);
      else {
        known.quantity = quantity;
        known.top = [price, quantity];
      }
      return;
    }
    const levels = this[side];
    const index = this.search(side, price);
    const found = index < levels.length && compareDecimalText(levels[index]!.price, price) === 0 ? levels[index] : undefined;
    if (found) this.byText[side].delete(found.price);
    if (isZeroNumeral(quantity)) {
      if (found) levels.splice(index, 1);
      return;
    }
    const level = { price, quantity, top: [price, quantity] as const };
    if (found) levels[index] = level;
    else levels.splice(index, 0, level);
    this.byText[side].set(price, level);
  }

  /**
   * The best `depth` levels of each side. The tuples are shared with the events before and after
   * as long as their level is unchanged: a replay keeps every event's book, and copying each level
   * into each event was most of reading a recording (its allocations and the collector's time).
   */
  top(depth: number): { bids: TopLevel[]; asks: TopLevel[] } {
    const take = (levels: HeldLevel[]) => levels.slice(0, depth).map((level) => level.top);
    return { bids: take(this.bids), asks: take(this.asks) };
  }

  /** A crossed book (best bid ≥ best ask) means a missed update: never publish it. */
  crossed(): boolean {
    const [bid, ask] = [this.bids[0], this.asks[0]];
    return bid !== undefined && ask !== undefined && compareDecimalText(bid.price, ask.price) >= 0;
  }

  private remove(side: Side, level: HeldLevel): void {
    this.byText[side].delete(level.price);
    this[side].splice(this.search(side, level.price), 1);
  }

  /** The first index whose price is not better than `price` on that side. */
  private search(side: Side, price: string): number {
    const levels = this[side];
    // Snapshots list levels best first: each one goes at the end, found with one comparison.
    const last = levels.at(-1);
    if (last && this.better(side, last.price, price)) return levels.length;
    let low = 0;
    let high = levels.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.better(side, levels[middle]!.price, price)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Whether price `a` is better than price `b` on that side. */
  private better(side: Side, a: string, b: string): boolean {
    const comparison = compareDecimalText(a, b);
    return side === 'bids' ? comparison > 0 : comparison < 0;
  }
}

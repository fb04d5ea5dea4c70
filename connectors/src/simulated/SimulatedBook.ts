import Decimal from 'decimal.js';

export interface SimulatedLevel {
  price: Decimal;
  quantity: Decimal;
}

export interface BookSeed {
  mid: string;
  tick: string;
  /** Levels per side. */
  depth: number;
  /** Quantity at the best level; deeper levels grow by `quantityStep` each. */
  quantity: string;
  quantityStep: string;
}

/**
 * One instrument's resting liquidity on a simulated venue, with the venue's update id. Built
 * deterministically from a seed so that tests and the demo see the same book every time.
 */
export class SimulatedBook {
  bids: SimulatedLevel[];
  asks: SimulatedLevel[];
  updateId: number;
  private readonly tick: Decimal;

  constructor(seed: BookSeed, firstUpdateId = 1_000) {
    const mid = new Decimal(seed.mid);
    const tick = new Decimal(seed.tick);
    this.tick = tick;
    const level = (i: number, side: 1 | -1): SimulatedLevel => ({
      price: mid.plus(tick.times(i + 1).times(side)),
      quantity: new Decimal(seed.quantity).plus(new Decimal(seed.quantityStep).times(i)),
    });
    this.bids = Array.from({ length: seed.depth }, (_, i) => level(i, -1));
    this.asks = Array.from({ length: seed.depth }, (_, i) => level(i, 1));
    this.updateId = firstUpdateId;
  }

  /** Moves every level by whole ticks (the demo's background flow), as one venue update. */
  drift(ticks: number): void {
    if (ticks === 0) return;
    const shift = this.tick.times(ticks);
    for (const level of [...this.bids, ...this.asks]) level.price = level.price.plus(shift);
    this.updateId++;
  }

  top(limit: number): { bids: SimulatedLevel[]; asks: SimulatedLevel[] } {
    return { bids: this.bids.slice(0, limit), asks: this.asks.slice(0, limit) };
  }
}

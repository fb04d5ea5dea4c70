import { Decimal } from '@crossvenue/schemas';
import { SeededRandom } from '../engine/SeededRandom.ts';
import type { RecordedTrade } from './types.ts';

const ZERO = new Decimal(0);

/** What a fill model knows of a resting order. */
export interface QueueState {
  readonly remaining: Decimal;
  /** Recorded quantity ahead of it at its price; the model keeps it up to date. */
  queueAhead: Decimal;
}

/**
 * How a resting (maker) order fills from the recording, besides a recorded book that crosses its
 * price (which fills it at its own price under every model: see ReplayVenue). Each returns the
 * quantity to fill now, never more than the order's remaining.
 */
export interface FillModel {
  readonly name: FillModelName;
  /** The recorded quantity at the order's price (0 when the level is gone) after a book update. */
  onLevel(order: QueueState, levelQuantity: Decimal, atTouch: boolean): Decimal;
  /** A recorded trade that reached the order's price (at it or through it). */
  onTrade(order: QueueState, trade: RecordedTrade): Decimal;
}

export type FillModelName = 'book' | 'probabilistic';
export const FILL_MODELS: readonly FillModelName[] = ['book', 'probabilistic'];

/**
 * The default, deterministic model: queue position. The order joined behind the recorded quantity
 * at its price; that queue only shrinks (the level shrinking below it means orders ahead left,
 * a recorded trade at or through the price eats it first), and only what a trade has beyond the
 * queue fills the order.
 */
export class BookFillModel implements FillModel {
  readonly name = 'book' as const;

  onLevel(order: QueueState, levelQuantity: Decimal): Decimal {
    if (levelQuantity.lt(order.queueAhead)) order.queueAhead = levelQuantity;
    return ZERO;
  }

  onTrade(order: QueueState, trade: RecordedTrade): Decimal {
    const beyondQueue = trade.quantity.minus(order.queueAhead);
    order.queueAhead = Decimal.max(ZERO, order.queueAhead.minus(trade.quantity));
    return Decimal.min(order.remaining, Decimal.max(ZERO, beyondQueue));
  }
}

/**
 * The probabilistic model: no queue. A recorded trade at or through the price fills the order up
 * to its quantity; and on every recorded book where the order's price is the best on its side
 * (at the touch), it fills whole with `touchProbability`, drawn from a seeded generator, so a run
 * with the same seed draws the same.
 */
export class ProbabilisticFillModel implements FillModel {
  readonly name = 'probabilistic' as const;
  private readonly random: SeededRandom;

  constructor(
    seed: number,
    private readonly touchProbability: number,
  ) {
    if (!(touchProbability >= 0 && touchProbability <= 1)) throw new RangeError(`touch fill probability must be within [0, 1], got ${touchProbability}`);
    this.random = new SeededRandom(seed);
  }

  onLevel(order: QueueState, _levelQuantity: Decimal, atTouch: boolean): Decimal {
    if (!atTouch) return ZERO;
    return this.random.next() < this.touchProbability ? order.remaining : ZERO;
  }

  onTrade(order: QueueState, trade: RecordedTrade): Decimal {
    return Decimal.min(order.remaining, trade.quantity);
  }
}

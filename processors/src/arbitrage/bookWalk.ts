import { Decimal, roundToStep, type PriceLevel, type Side } from '@crossvenue/schemas';

export const BPS = new Decimal(10_000);

/** What taking `quantity` from one side of a book gets: how much there was, its cost, the last price reached. */
export interface Walk {
  quantity: Decimal;
  notional: Decimal;
  /** The last (worst) price reached; null when nothing was taken. */
  worst: Decimal | null;
}

/**
 * Takes up to `quantity` from `levels` (best first: the asks for a buy, the bids for a sell),
 * stopping at the first level beyond `limit` when one is given.
 */
export function walkBook(levels: readonly PriceLevel[], side: Side, quantity: Decimal, limit: Decimal | null = null): Walk {
  let taken = new Decimal(0);
  let notional = new Decimal(0);
  let worst: Decimal | null = null;
  for (const level of levels) {
    if (taken.gte(quantity)) break;
    const price = new Decimal(level.price);
    if (limit !== null && (side === 'BUY' ? price.gt(limit) : price.lt(limit))) break;
    const take = Decimal.min(new Decimal(level.quantity), quantity.minus(taken));
    taken = taken.plus(take);
    notional = notional.plus(take.times(price));
    worst = price;
  }
  return { quantity: taken, notional, worst };
}

/**
 * `price` moved `bps` against the order (up for a buy, down for a sell), on the venue's tick
 * without going past that (down for a buy, up for a sell), so a limit built from it stays
 * within the allowance; to 8 places where the tick is unknown.
 */
export function throughPrice(price: Decimal, side: Side, bps: Decimal, tick: Decimal | null): Decimal {
  const moved = price.times(side === 'BUY' ? BPS.plus(bps) : BPS.minus(bps)).dividedBy(BPS);
  if (tick !== null) return roundToStep(moved, tick, side === 'BUY' ? 'FLOOR' : 'CEIL');
  return moved.toDecimalPlaces(8, side === 'BUY' ? Decimal.ROUND_FLOOR : Decimal.ROUND_CEIL);
}

/** The opposite side: what trades an excess back. */
export function opposite(side: Side): Side {
  return side === 'BUY' ? 'SELL' : 'BUY';
}

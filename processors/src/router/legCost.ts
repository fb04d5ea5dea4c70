import { Decimal, formatDecimal, roundToStep, type Side } from '@crossvenue/schemas';
import type { PreparedVenue } from './PreparedVenue.ts';
import type { CostBreakdown, PlannedLeg } from './RoutePlan.ts';

const ZERO = new Decimal(0);
const ONE = new Decimal(1);

export const NO_COST: CostBreakdown = {
  expectedFee: ZERO,
  latencyPenalty: ZERO,
  stalenessPenalty: ZERO,
  healthPenalty: ZERO,
  expectedCost: ZERO,
};

/** A resting price on the venue's tick, never more aggressive than the limit. */
export function restingPrice(venue: PreparedVenue, limit: Decimal): Decimal {
  const tick = venue.candidate.rules.priceTick;
  return tick === null ? limit : roundToStep(limit, tick, venue.side === 'BUY' ? 'FLOOR' : 'CEIL');
}

/** A maker order's price per unit with maker fee and penalties folded in, comparable across venues. */
export function makerEffectivePrice(venue: PreparedVenue, price: Decimal): Decimal {
  const { latency, staleness, health } = venue.penalties;
  const markup = venue.candidate.makerFee.plus(latency).plus(staleness).plus(health);
  return price.times(venue.side === 'BUY' ? ONE.plus(markup) : ONE.minus(markup));
}

/**
 * How much more this account can rest at `price` after taking `taken` (base) for `takenNotional`:
 * a buy pays notional plus maker fee from the quote balance, a sell delivers base. Null: no limit.
 */
export function restingRoom(venue: PreparedVenue, taken: Decimal, takenNotional: Decimal, price: Decimal): Decimal | null {
  const { available, rules, takerFee, makerFee } = venue.candidate;
  let room: Decimal | null = null;
  if (available !== null) {
    room =
      venue.side === 'SELL'
        ? available.minus(taken)
        : available.minus(takenNotional.times(ONE.plus(takerFee))).div(price.times(ONE.plus(makerFee)));
  }
  if (rules.maxQuantity !== null) room = Decimal.min(room ?? rules.maxQuantity, rules.maxQuantity.minus(taken));
  return room;
}

/** Why a leg of `quantity` at limit `price` breaks the venue's minimums, or null. */
export function minimumBroken(venue: PreparedVenue, quantity: Decimal, price: Decimal): string | null {
  const { minQuantity, minNotional } = venue.candidate.rules;
  if (minQuantity !== null && quantity.lt(minQuantity)) {
    return `leg ${formatDecimal(quantity)} below min quantity ${formatDecimal(minQuantity)}`;
  }
  const value = quantity.times(price);
  if (minNotional !== null && value.lt(minNotional)) {
    return `leg notional ${formatDecimal(value)} below min notional ${formatDecimal(minNotional)}`;
  }
  return null;
}

/**
 * One child order: `taken` walks the book now (taker fee), `resting` waits at `restPrice` (maker
 * fee). Penalties apply to the whole notional. Costs are signed: a sell's proceeds are negative cost.
 */
export function buildLeg(
  venue: PreparedVenue,
  leg: number,
  taken: Decimal,
  taking: { notional: Decimal; worstPrice: Decimal } | null,
  resting: Decimal,
  restPrice: Decimal | null,
): PlannedLeg {
  const { candidate, penalties, side } = venue;
  const take = taking ?? { notional: ZERO, worstPrice: ZERO };
  const restNotional = restPrice === null ? ZERO : resting.times(restPrice);
  const notional = take.notional.plus(restNotional);
  const quantity = taken.plus(resting);
  const expectedFee = share(take.notional, venue.feeRate).plus(share(restNotional, candidate.makerFee));
  const latencyPenalty = share(notional, penalties.latency);
  const stalenessPenalty = share(notional, penalties.staleness);
  const healthPenalty = share(notional, penalties.health);
  const signedNotional = sideSign(side).times(notional);
  return {
    leg,
    venue: candidate.venue,
    account: candidate.account,
    quantity,
    limitPrice: resting.gt(0) && restPrice !== null ? restPrice : take.worstPrice,
    expectedAveragePrice: notional.div(quantity),
    expectedNotional: notional,
    restingQuantity: resting,
    expectedFee,
    latencyPenalty,
    stalenessPenalty,
    healthPenalty,
    expectedCost: signedNotional.plus(expectedFee).plus(latencyPenalty).plus(stalenessPenalty).plus(healthPenalty),
  };
}

/** notional x rate; most venues carry no penalty, and multiplying by zero is not free. */
function share(notional: Decimal, rate: Decimal): Decimal {
  return rate.isZero() ? ZERO : notional.times(rate);
}

function sideSign(side: Side): Decimal {
  return side === 'BUY' ? ONE : ONE.negated();
}

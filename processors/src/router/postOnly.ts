import { Decimal, formatDecimal, roundToStep } from '@crossvenue/schemas';
import { buildLeg, makerEffectivePrice, minimumBroken, restingPrice, restingRoom } from './legCost.ts';
import { withinLimit, type PreparedVenue } from './PreparedVenue.ts';
import type { RoutePlan } from './RoutePlan.ts';
import type { RouteRequest } from './RouteRequest.ts';
import { assemble } from './assemblePlan.ts';

const ZERO = new Decimal(0);

/**
 * A post-only order rests, whole, at the single venue where resting is cheapest: the limit price
 * (on that venue's tick, never more aggressive) with maker fee and penalties. Splitting a resting
 * order would show the same interest several times. A venue where the price would cross the book
 * is not used (the venue would reject or, worse, fill it as a taker); if it crosses everywhere,
 * nothing is sent.
 */
export function routePostOnly(request: RouteRequest, venues: readonly PreparedVenue[], firstLeg: number): RoutePlan {
  const limit = request.limitPrice;
  const reasons = venues.map((venue) => venue.exclusion ?? (limit === null ? 'post-only needs a limit price' : null));
  const sizes = venues.map(() => ZERO);
  let best = -1;
  let bestEffective = ZERO;
  venues.forEach((venue, v) => {
    if (reasons[v] !== null || limit === null) return;
    const price = restingPrice(venue, limit);
    const opposite = venue.levels[0]?.price;
    if (opposite !== undefined && withinLimit(request.side, opposite, price)) {
      reasons[v] = `post-only would cross: best ${request.side === 'BUY' ? 'ask' : 'bid'} ${formatDecimal(opposite)} against limit ${formatDecimal(price)}`;
      return;
    }
    const wanted = request.amountType === 'QUOTE' ? request.amount.div(price) : request.amount;
    const lot = venue.candidate.rules.quantityStep;
    const quantity = lot === null ? wanted : roundToStep(wanted, lot, 'DOWN');
    const room = restingRoom(venue, ZERO, ZERO, price);
    const broken =
      room !== null && room.lt(quantity)
        ? `available balance or max quantity allows only ${formatDecimal(room)}`
        : quantity.isZero()
          ? 'amount is less than one lot'
          : minimumBroken(venue, quantity, price);
    if (broken !== null) {
      reasons[v] = broken;
      return;
    }
    sizes[v] = quantity;
    const effective = makerEffectivePrice(venue, price);
    if (best < 0 || (request.side === 'BUY' ? effective.lt(bestEffective) : effective.gt(bestEffective))) [best, bestEffective] = [v, effective];
  });
  venues.forEach((_venue, v) => {
    if (reasons[v] === null && v !== best) reasons[v] = `post-only rests at one venue; maker price here is worse than ${formatDecimal(bestEffective)}`;
  });
  return assemble(request, venues, firstLeg, reasons, (venue, v) => buildLeg(venue, 0, ZERO, null, sizes[v]!, restingPrice(venue, limit!)));
}

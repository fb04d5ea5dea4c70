import { Decimal, formatDecimal, roundToStep } from '@crossvenue/schemas';
import { allocate } from './allocate.ts';
import { assemble } from './assemblePlan.ts';
import { DEFAULT_COST_CONFIG, type CostConfig } from './costModel.ts';
import { buildLeg, makerEffectivePrice, minimumBroken, restingPrice, restingRoom } from './legCost.ts';
import { routePostOnly } from './postOnly.ts';
import { prepareVenue, walk, type PreparedVenue } from './PreparedVenue.ts';
import type { RoutePlan } from './RoutePlan.ts';
import type { RouteRequest, VenueCandidate } from './RouteRequest.ts';

const ZERO = new Decimal(0);

/** Routes one order over the given candidates; see routePrepared for the rules. */
export function routeOrder(request: RouteRequest, candidates: readonly VenueCandidate[], config: CostConfig = DEFAULT_COST_CONFIG, firstLeg = 0): RoutePlan {
  const venues = candidates.map((candidate) => prepareVenue(candidate, request.side, config, request.postOnly));
  return routePrepared(request, venues, firstLeg);
}

/**
 * The route plan for `request` over venues prepared for its side (with maker fees for post-only).
 * Pure: the same books give the same plan.
 *
 * - Venues that are DEGRADED or DOWN, whose market is halted, with a stale book, an empty side or
 *   no balance get nothing, and the plan says why.
 * - Taking: the amount is split at least cost (see allocate), each leg a multiple of its lot and
 *   limited to the worst book price it reaches, which caps slippage. Accounts on one venue share
 *   its book: each takes its own stretch of it, so no level is planned twice (see SharedBook). A
 *   leg below the venue's min quantity or min notional is dropped and the amount re-split without
 *   that venue (raising the leg to the minimum instead can be cheaper; the router does not try it,
 *   so where a minimum binds the split is feasible but not proven optimal).
 * - Time in force across venues. IOC: every leg is sent IOC; what is not there now is not routed
 *   (unroutedAmount) and what a leg does not fill is cancelled by the venue. FOK: legs are sent
 *   only if together they cover the whole amount within the limit, each leg FOK; otherwise no leg
 *   is sent. Venues do not coordinate, so one FOK leg can still fail while another fills: that
 *   residual leg risk goes back to the intent's re-route policy. FOK needs a base amount: a quote
 *   amount rounded to lots can never be filled exactly. GTC, DAY, GTD with a limit price: what
 *   the books cannot give within the limit rests at the intent's limit (on the venue's tick) on
 *   the venue with the best maker price; without a limit price it is unrouted.
 * - Post-only rests the whole amount at one venue: see routePostOnly.
 * - Legs are numbered from `firstLeg`, so a re-route never reuses an earlier leg's client order id.
 */
export function routePrepared(request: RouteRequest, venues: readonly PreparedVenue[], firstLeg = 0): RoutePlan {
  if (request.postOnly) return routePostOnly(request, venues, firstLeg);
  const reasons = venues.map((venue) => venue.exclusion);
  if (request.timeInForce === 'FOK' && request.amountType === 'QUOTE') {
    return emptyPlan(request, venues, 'FOK needs a base amount: a quote amount rounded to lots cannot be filled exactly', reasons);
  }
  const byNotional = request.amountType === 'QUOTE';
  const limit = request.limitPrice;
  let taken: Decimal[];
  let walks: ({ notional: Decimal; worstPrice: Decimal } | null)[];
  for (;;) {
    const stretches = allocate(venues, reasons.map((reason) => reason === null), request.side, limit, request.amount, byNotional);
    taken = stretches.map((stretch) => stretch.quantity);
    walks = stretches.map(({ from, quantity }, v) => (quantity.gt(0) ? walk(venues[v]!, from, quantity) : null));
    let dropped = false;
    walks.forEach((taking, v) => {
      const broken = taking === null ? null : minimumBroken(venues[v]!, taken[v]!, taking.worstPrice);
      if (broken !== null) [reasons[v], dropped] = [broken, true];
    });
    if (!dropped) break;
  }
  const takenNotional = walks.map((taking) => taking?.notional ?? ZERO);
  const routed = sum(byNotional ? takenNotional : taken);
  if (request.timeInForce === 'FOK' && routed.lt(request.amount)) {
    const shortfall = `FOK: only ${formatDecimal(routed)} of ${formatDecimal(request.amount)} available within the limit; nothing sent`;
    return emptyPlan(request, venues, shortfall, reasons);
  }
  const rest = restingPart(request, venues, reasons, taken, takenNotional, request.amount.minus(routed));
  return assemble(request, venues, firstLeg, reasons, (venue, v) => {
    const resting = rest?.venue === v ? rest.quantity : ZERO;
    if (taken[v]!.isZero() && resting.isZero()) return undefined;
    return buildLeg(venue, 0, taken[v]!, walks[v] ?? null, resting, rest?.venue === v ? rest.price : null);
  });
}

const RESTING_TIME_IN_FORCE = new Set(['GTC', 'DAY', 'GTD']);

/** Where the rest of a limit order that the books cannot fill now waits, if anywhere. */
function restingPart(
  request: RouteRequest,
  venues: readonly PreparedVenue[],
  reasons: readonly (string | null)[],
  taken: readonly Decimal[],
  takenNotional: readonly Decimal[],
  left: Decimal,
): { venue: number; quantity: Decimal; price: Decimal } | null {
  const limit = request.limitPrice;
  if (limit === null || !left.gt(0) || !RESTING_TIME_IN_FORCE.has(request.timeInForce)) return null;
  let best: { venue: number; quantity: Decimal; price: Decimal; effective: Decimal } | null = null;
  for (let v = 0; v < venues.length; v++) {
    const venue = venues[v]!;
    if (reasons[v] !== null) continue;
    const price = restingPrice(venue, limit);
    const wanted = request.amountType === 'QUOTE' ? left.div(price) : left;
    const room = restingRoom(venue, taken[v]!, takenNotional[v]!, price);
    const lot = venue.candidate.rules.quantityStep;
    const capped = room === null ? wanted : Decimal.min(wanted, room);
    const quantity = lot === null ? capped : roundToStep(capped, lot, 'DOWN');
    if (!quantity.gt(0) || minimumBroken(venue, taken[v]!.plus(quantity), price) !== null) continue;
    const effective = makerEffectivePrice(venue, price);
    if (best === null || (request.side === 'BUY' ? effective.lt(best.effective) : effective.gt(best.effective))) {
      best = { venue: v, quantity, price, effective };
    }
  }
  return best;
}

function emptyPlan(request: RouteRequest, venues: readonly PreparedVenue[], reason: string, reasons: readonly (string | null)[]): RoutePlan {
  return assemble(
    request,
    venues,
    0,
    reasons.map((own) => own ?? reason),
    () => undefined,
  );
}

function sum(values: readonly Decimal[]): Decimal {
  return values.reduce((total, value) => total.plus(value), ZERO);
}

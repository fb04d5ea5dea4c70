import { Decimal, formatDecimal } from '@crossvenue/schemas';
import { arrivalMid, candidateReport } from './candidateReport.ts';
import { depthWithin, type PreparedVenue } from './PreparedVenue.ts';
import type { PlannedLeg, RoutePlan } from './RoutePlan.ts';
import type { RouteRequest } from './RouteRequest.ts';

const ZERO = new Decimal(0);

/** Numbers the legs in venue order and writes one report per candidate. */
export function assemble(
  request: RouteRequest,
  venues: readonly PreparedVenue[],
  firstLeg: number,
  reasons: readonly (string | null)[],
  legOf: (venue: PreparedVenue, v: number) => PlannedLeg | undefined,
): RoutePlan {
  const legs: PlannedLeg[] = [];
  const candidates = venues.map((venue, v) => {
    const built = reasons[v] === null ? legOf(venue, v) : undefined;
    const leg = built && { ...built, leg: firstLeg + legs.length };
    if (leg) legs.push(leg);
    return candidateReport(venue, request.limitPrice, leg, reasons[v] ?? (leg ? chosenReason(leg) : unusedReason(venue, request)));
  });
  const routedQuantity = sum(legs.map((leg) => leg.quantity));
  const routedAmount = request.amountType === 'QUOTE' ? sum(legs.map((leg) => leg.expectedNotional)) : routedQuantity;
  return {
    request,
    legs,
    candidates,
    routedQuantity,
    unroutedAmount: Decimal.max(request.amount.minus(routedAmount), ZERO),
    totalExpectedCost: sum(legs.map((leg) => leg.expectedCost)),
    arrivalMid: arrivalMid(venues),
  };
}

function chosenReason(leg: PlannedLeg): string {
  const takes = leg.quantity.minus(leg.restingQuantity);
  const parts = [
    takes.gt(0) ? `takes ${formatDecimal(takes)}` : null,
    leg.restingQuantity.gt(0) ? `rests ${formatDecimal(leg.restingQuantity)} at ${formatDecimal(leg.limitPrice)}` : null,
  ];
  return `chosen: ${parts.filter((part) => part !== null).join(', ')}; limit ${formatDecimal(leg.limitPrice)}`;
}

function unusedReason(venue: PreparedVenue, request: RouteRequest): string {
  if (depthWithin(venue, request.limitPrice).isZero()) return 'no book quantity within the limit price';
  if (venue.capacity.isZero()) return 'available balance or max quantity allows less than one lot';
  return `not needed: best effective price ${formatDecimal(venue.effective[0]!)} is worse than the legs chosen`;
}

function sum(values: readonly Decimal[]): Decimal {
  return values.reduce((total, value) => total.plus(value), ZERO);
}

import { formatDecimal, formatNullableDecimal, type RouteDecision } from '@crossvenue/schemas';
import type { RoutePlan } from './RoutePlan.ts';

/** The audited message for a plan: every candidate with its figures and reason, and every leg. */
export function toRouteDecision(plan: RoutePlan, eventId: string, costCurrency: string, decidedAtMs: number): RouteDecision {
  const { request } = plan;
  return {
    eventId,
    intentId: request.intentId,
    portfolio: request.portfolio,
    instrument: request.instrument,
    side: request.side,
    quantity: formatDecimal(plan.routedQuantity),
    candidates: plan.candidates.map((candidate) => ({
      venue: candidate.venue,
      account: candidate.account,
      availableQuantity: formatDecimal(candidate.availableQuantity),
      expectedAveragePrice: formatNullableDecimal(candidate.expectedAveragePrice),
      expectedFee: formatDecimal(candidate.expectedFee),
      latencyPenalty: formatDecimal(candidate.latencyPenalty),
      stalenessPenalty: formatDecimal(candidate.stalenessPenalty),
      healthPenalty: formatDecimal(candidate.healthPenalty),
      expectedTotalCost: formatDecimal(candidate.expectedCost),
      chosen: candidate.chosen,
      reason: candidate.reason,
    })),
    legs: plan.legs.map((leg) => ({
      leg: leg.leg,
      venue: leg.venue,
      account: leg.account,
      quantity: formatDecimal(leg.quantity),
      limitPrice: formatDecimal(leg.limitPrice),
      expectedAveragePrice: formatDecimal(leg.expectedAveragePrice),
      expectedFee: formatDecimal(leg.expectedFee),
    })),
    totalExpectedCost: formatDecimal(plan.totalExpectedCost),
    costCurrency,
    arrivalMid: formatNullableDecimal(plan.arrivalMid),
    decidedAtMs,
  };
}

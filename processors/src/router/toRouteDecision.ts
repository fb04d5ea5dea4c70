import { formatDecimal, formatNullableDecimal, type Intent, type RouteDecision } from '@crossvenue/schemas';
import type { RoutePlan } from './RoutePlan.ts';
import { routeDecisionId } from '../execution/routeDecisionId.ts';

/** The audited message for a plan of `intent`: every candidate with its figures and reason, and every leg. */
export function toRouteDecision(plan: RoutePlan, intent: Intent, costCurrency: string, decidedAtMs: number): RouteDecision {
  const { request } = plan;
  return {
    eventId: routeDecisionId(intent.eventId),
    intentId: request.intentId,
    portfolio: request.portfolio,
    instrument: request.instrument,
    side: request.side,
    ...planFigures(plan),
    costCurrency,
    decidedAtMs,
    intent,
    // A QUOTE amount's conversion needs the venues' lots: routeIntent adds it (quoteConversion).
    conversion: null,
  };
}

/** A plan's figures as the decision's decimal strings: what it routed, each candidate and each leg. */
export function planFigures(plan: RoutePlan): Pick<RouteDecision, 'quantity' | 'candidates' | 'legs' | 'totalExpectedCost' | 'arrivalMid'> {
  return {
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
    arrivalMid: formatNullableDecimal(plan.arrivalMid),
  };
}

/**
 * The answer to a message that routes nothing (a CANCEL, an EXPIRE, a target position, whose
 * trades the execution side asks for as child intents): no legs; it carries the message to the
 * execution side in the portfolio's order.
 */
export function unroutedDecision(intent: Intent, costCurrency: string, decidedAtMs: number): RouteDecision {
  return {
    eventId: routeDecisionId(intent.eventId),
    intentId: intent.intentId,
    portfolio: intent.portfolio,
    instrument: intent.instrument,
    side: null,
    quantity: '0',
    candidates: [],
    legs: [],
    totalExpectedCost: '0',
    costCurrency,
    arrivalMid: null,
    decidedAtMs,
    intent,
    conversion: null,
  };
}

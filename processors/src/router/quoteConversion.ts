import { Decimal, formatDecimal, roundToStep, type QuoteConversion } from '@crossvenue/schemas';
import type { RoutePlan } from './RoutePlan.ts';
import type { VenueCandidate } from './RouteRequest.ts';

/** The places of an audited decimal column (auditColumns' Decimal(38, 18)): a converted figure keeps to them. */
const PLACES = 18;

/**
 * An amount in the quote currency as a base amount: the legs' base quantity, plus what is left
 * unrouted at the legs' expected average price (at the best mid when nothing was routed), in whole
 * lots of the finest lot among the venues weighed. Rounded down, so the intent never buys or sells
 * more than the amount stood for, and a remainder smaller than any venue's lot (what the router
 * leaves when it has routed all it can) is no part of it: the intent is done when its legs are.
 * Null for a BASE amount, and when there is no price at all.
 */
export function quoteConversion({ request, legs, routedQuantity, unroutedAmount, arrivalMid }: RoutePlan, candidates: readonly VenueCandidate[]): QuoteConversion | null {
  if (request.amountType !== 'QUOTE') return null;
  const notional = legs.reduce((total, leg) => total.plus(leg.expectedNotional), new Decimal(0));
  const price = routedQuantity.gt(0) ? notional.div(routedQuantity).toDecimalPlaces(PLACES, Decimal.ROUND_HALF_EVEN) : arrivalMid;
  if (price === null || !price.gt(0)) return null;
  const steps = candidates.flatMap(({ rules }) => (rules.quantityStep === null ? [] : [rules.quantityStep]));
  const unrouted = unroutedAmount.div(price);
  const rest = steps.length === 0 ? unrouted : roundToStep(unrouted, Decimal.min(...steps), 'DOWN');
  const baseAmount = routedQuantity.plus(rest).toDecimalPlaces(PLACES, Decimal.ROUND_DOWN);
  return { quoteAmount: formatDecimal(request.amount), price: formatDecimal(price), baseAmount: formatDecimal(baseAmount) };
}

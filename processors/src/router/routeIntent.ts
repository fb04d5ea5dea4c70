import {
  InvalidInputError,
  parseIntentOrder,
  parseSymbol,
  type Intent,
  type RouteDecision,
} from '@crossvenue/schemas';
import { isHalted, type Halt } from '../intents/DesiredState.ts';
import { DEFAULT_COST_CONFIG, type CostConfig } from './costModel.ts';
import type { MarketView } from './MarketView.ts';
import { quoteConversion } from './quoteConversion.ts';
import { routeOrder } from './routeOrder.ts';
import { toRouteDecision, unroutedDecision } from './toRouteDecision.ts';

/**
 * The route decision for an intent message: for a PLACE, MODIFY or REROUTE, a plan over the market as the router sees it
 * now, over the venues and the account the intent allows. Venues under a cancel-all (`halts`;
 * a flatten order may use its own) and those a re-route avoids stay in the decision as excluded
 * candidates, with why. Legs are numbered from 0: the execution side,
 * which knows the legs the intent already has, numbers them for good. A decision with no legs
 * (nothing routable) is still published: it says why, for the audit. A CANCEL gets a decision with
 * no legs, which carries it to the execution side, and so do a TARGET_POSITION, a TWAP and an
 * iceberg (the execution side asks for their trades as child intents, which are routed here).
 * Throws InvalidInputError for an intent the router cannot route (a malformed order).
 */
export function routeIntent(intent: Intent, view: MarketView, nowMs: number, config: CostConfig = DEFAULT_COST_CONFIG, halts: readonly Halt[] = []): RouteDecision {
  const where = `intent ${intent.intentId} (${intent.eventId})`;
  // A CANCEL, an EXPIRE, a target, a TWAP or an iceberg routes nothing: its answer carries it to
  // the execution side in order, which asks for their trades as child intents.
  const parent = intent.kind === 'TARGET_POSITION' || intent.algo !== null || (intent.order !== null && intent.order.icebergQuantity !== null);
  if (intent.action === 'CANCEL' || intent.action === 'EXPIRE' || parent) return unroutedDecision(intent, parseSymbol(intent.instrument).quote, nowMs);
  if (intent.order === null) throw new InvalidInputError(`${where}: ${intent.kind} without an order is not routed`);
  const order = parseIntentOrder(intent.instrument, intent.order);
  const usable = view
    .candidates(order.instrument, order.side, nowMs)
    .filter(
      (candidate) =>
        (intent.venues.length === 0 || intent.venues.includes(candidate.venue)) && (intent.account === null || intent.account === candidate.account),
    )
    .map((candidate) => {
      const { venue, account } = candidate;
      if (!intent.flattens && isHalted(halts, venue, account)) return { ...candidate, excludedBecause: `cancel-all in force on ${venue}/${account}` };
      if (intent.avoidVenues.includes(venue)) return { ...candidate, excludedBecause: 'avoided: a leg of this intent failed there' };
      return candidate;
    });
  const request = {
    intentId: intent.intentId,
    portfolio: intent.portfolio,
    instrument: order.instrument,
    side: order.side,
    amount: order.amount,
    amountType: order.amountType,
    limitPrice: order.limitPrice,
    timeInForce: order.timeInForce,
    postOnly: order.postOnly,
  };
  const plan = routeOrder(request, usable, config);
  return { ...toRouteDecision(plan, intent, parseSymbol(order.instrument).quote, nowMs), conversion: intent.action === 'PLACE' ? quoteConversion(plan, usable) : null };
}

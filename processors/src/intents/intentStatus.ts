import { Decimal, formatDecimal, formatNullableDecimal, type IntentState, type IntentStatus } from '@crossvenue/schemas';
import { routesOf, type IntentExecution } from '../execution/ExecutionState.ts';
import { rollUpIntent, type IntentRollUp } from '../orders/intentRollUp.ts';
import type { DesiredIntent } from './DesiredState.ts';
import { routableRemainder, type ReroutePolicy } from './converge.ts';

/**
 * An intent's status for its owner: the roll-up of its legs, and whether it is done, i.e. no leg
 * can execute any more and nothing will be routed again (filled, cancelled, what is left ended
 * for good as IOC/FOK, or the re-route policy is used up).
 */
export function intentStatus(intent: DesiredIntent, execution: IntentExecution, policy: ReroutePolicy): IntentRollUp & { done: boolean } {
  const rollUp = rollUpIntent(intent.order.amount, execution.legs.map((leg) => leg.order));
  const moreToRoute =
    intent.status === 'ACTIVE' &&
    routableRemainder(intent, execution).gt(0) &&
    (routesOf(execution, intent.version) === 0 || (policy.reroute && routesOf(execution, intent.version) < policy.maxRoutes));
  return { ...rollUp, done: (rollUp.terminal || execution.legs.length === 0) && !moreToRoute };
}

/**
 * Why a routing of the intent's terms placed nothing: risk refused every leg (the risk rule that
 * failed first, e.g. `kill_switch`), the router found no venue (`no_route`), or no leg could be
 * placed (`not_placed`). `version` is the intent version it concerns: a MODIFY asks afresh. (An
 * intent refused on arrival is REJECTED by PortfolioExecution with `not_executed:<field>`, the
 * whyNotExecuted rule, or `invalid_intent`.)
 */
export interface IntentRefusal {
  version: number;
  rule: string;
  reason: string;
}

/** An IntentStatus without what names and stamps one record (eventId, updatedAtMs): two equal views are one status. */
export type IntentStatusView = Omit<IntentStatus, 'eventId' | 'updatedAtMs'>;

const ZERO = new Decimal(0);

/**
 * The status of an intent the execution side holds, as a FIX ExecutionReport would state it
 * (OrdStatus, CumQty, LeavesQty, AvgPx). The rules, first match wins:
 *
 * - DONE: done, with the whole amount filled.
 * - REJECTED / EXPIRED with the refusal's rule: the last routing of the current terms placed
 *   nothing (`refusal`), the intent is active and no leg works any more. REJECTED when nothing
 *   filled (risk refused every leg, a kill switch, no route), EXPIRED when part filled.
 * - CANCELED: done after the owner's cancel (or a global cancel-all), whatever filled before.
 * - EXPIRED: done with quantity unfilled and not cancelled: a DAY or GTD intent's time was up, or
 *   the IOC/FOK terms ended what the legs left (rule `time_in_force` for both), or the re-route
 *   policy allows no further routing (`reroute_policy`).
 * - PARTIALLY_FILLED: not done, something filled. WORKING: not done, legs placed or a routing
 *   made. ACCEPTED: taken, nothing routed yet.
 *
 * An intent that has ended is reported so only once the fills of all it filled are held (order
 * events and fills come on separate topics, the fills usually a little later): until then it stays
 * PARTIALLY_FILLED, so that its final record states the average price and the fees whole.
 *
 * Leaves is what the intent may still execute: amount - filled while it is open, 0 once it ended.
 * A pure function of the folded state, so a replay derives the same status from the same inputs.
 */
export function intentStatusView(intent: DesiredIntent, execution: IntentExecution, policy: ReroutePolicy, refusal: IntentRefusal | undefined): IntentStatusView {
  const status = intentStatus(intent, execution, policy);
  const requested = intent.order.amount;
  const filled = status.filledQuantity.gte(requested);
  const settled = status.heldFillQuantity.gte(status.filledQuantity);
  const ended = status.done && settled;
  const refused = refusal !== undefined && refusal.version === intent.version && intent.status === 'ACTIVE' && status.workingQuantity.isZero() && !filled && settled;
  let state: IntentState;
  let why: { rule: string; reason: string } | null = null;
  if (ended && filled) state = 'DONE';
  else if (refused) {
    state = status.filledQuantity.isZero() ? 'REJECTED' : 'EXPIRED';
    why = refusal;
  } else if (ended && intent.status === 'CANCELED') state = 'CANCELED';
  else if (ended) {
    state = 'EXPIRED';
    why = intent.status === 'EXPIRED'
      ? { rule: 'time_in_force', reason: `${intent.order.timeInForce}: its time was up at ${new Date(intent.expiresAtMs!).toISOString()}` }
      : routableRemainder(intent, execution).isZero()
      ? { rule: 'time_in_force', reason: `${intent.order.timeInForce}: what the legs left unfilled ended with them` }
      : { rule: 'reroute_policy', reason: `routed ${routesOf(execution, intent.version)} times, the most the re-route policy allows` };
  } else if (status.filledQuantity.gt(0)) state = 'PARTIALLY_FILLED';
  else if (execution.legs.length > 0 || routesOf(execution, intent.version) > 0) state = 'WORKING';
  else state = 'ACCEPTED';
  const open = state === 'ACCEPTED' || state === 'WORKING' || state === 'PARTIALLY_FILLED';
  return {
    intentId: intent.intentId,
    portfolio: intent.portfolio,
    instrument: intent.order.instrument,
    side: intent.order.side,
    source: intent.source,
    state,
    rule: why?.rule ?? null,
    reason: why?.reason ?? null,
    requestedQuantity: formatDecimal(requested),
    filledQuantity: formatDecimal(status.filledQuantity),
    leavesQuantity: formatDecimal(open ? Decimal.max(requested.minus(status.filledQuantity), ZERO) : ZERO),
    averagePrice: formatNullableDecimal(status.averagePrice),
    fees: [...status.feesByCurrency].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount: formatDecimal(amount) })),
    algo: null,
  };
}

/** Whether two views state the same status (field by field; fees in currency order). */
export function sameStatus(a: IntentStatusView, b: IntentStatusView): boolean {
  const keys = Object.keys(a) as Array<keyof IntentStatusView>;
  return keys.every((key) => JSON.stringify(a[key]) === JSON.stringify(b[key]));
}

/** The view of a record read back (its eventId and time left out). */
export function viewOf({ eventId: _eventId, updatedAtMs: _updatedAtMs, ...view }: IntentStatus): IntentStatusView {
  return view;
}

import { parseDecimal, type Decimal, type Fill, type OrderEvent } from '@crossvenue/schemas';
import { applyChildFill, applyOrderEvent, newChildOrder, type ChildOrder, type ChildOrderSpec } from '../orders/ChildOrder.ts';
import type { InvalidTransitionError } from '@crossvenue/schemas';

/** A child order with the intent version it was placed for, and why we cancelled it if we did. */
export interface Leg {
  order: ChildOrder;
  version: number;
  /** Set when we asked for the cancel: its unfilled quantity may be routed again. */
  canceledBecause: string | null;
  /**
   * An amend asked for (a MODIFY of the price): the version and price the leg takes once the venue
   * accepts it. Until then it is not cancelled for being of an older version; refused, it is.
   */
  amendingTo: { version: number; limitPrice: Decimal } | null;
}

/** What the venues have told us about each intent's child orders. */
export interface IntentExecution {
  legs: readonly Leg[];
  /** The next leg number: legs are never renumbered, so a client order id is never reused. */
  nextLeg: number;
  /** How many times the intent's current terms were routed (their first placement included). */
  routes: number;
  /** The intent version those routes were for; a MODIFY starts counting again. -1 before any route. */
  routedVersion: number;
}

/**
 * Owned by one PortfolioExecution and updated in place by the functions below (copying it on every
 * message made each one cost time in proportion to all intents ever read); each IntentExecution
 * and leg is a value, replaced whole, so a step that fails changes nothing.
 */
export type ExecutionState = Map<string, IntentExecution>;

export const EMPTY_EXECUTION: IntentExecution = { legs: [], nextLeg: 0, routes: 0, routedVersion: -1 };

/** Replaces one leg with what `update` makes of it, unless `update` returns null; null when there is no such leg. */
function updateLeg(state: ExecutionState, intentId: string, clientOrderId: string, update: (leg: Leg) => Leg | null): ExecutionState | null {
  const execution = state.get(intentId);
  const index = execution?.legs.findIndex((leg) => leg.order.clientOrderId === clientOrderId) ?? -1;
  if (!execution || index < 0) return null;
  const updated = update(execution.legs[index]!);
  if (updated === null) return state;
  const legs = execution.legs.map((leg, i) => (i === index ? updated : leg));
  return state.set(intentId, { ...execution, legs });
}

export type ExecutionStep = { state: ExecutionState; error: InvalidTransitionError | string | null };

/**
 * Applies an order event from a venue (or reconciliation) to its leg through the transition
 * table. An invalid transition or an order we do not know leaves the state unchanged and returns
 * the error for the caller to log and audit.
 */
export function applyOrderEventMessage(state: ExecutionState, event: OrderEvent): ExecutionStep {
  let error: InvalidTransitionError | null = null;
  const filled = parseDecimal(event.filledQuantity, `order event ${event.eventId} filledQuantity`);
  const next = updateLeg(state, event.intentId, event.clientOrderId, (leg) => {
    const step = applyOrderEvent(leg.order, event.event, filled);
    if (!step.ok) {
      error = step.error;
      return null;
    }
    return settleAmend({ ...leg, order: step.order }, event.event);
  });
  if (next === null) return { state, error: `order event ${event.eventId}: no leg ${event.clientOrderId} of intent ${event.intentId}` };
  return { state, error };
}

export function applyFillMessage(state: ExecutionState, fill: Fill): ExecutionStep {
  const where = (name: string) => `fill ${fill.venue}/${fill.account}/${fill.venueTradeId} ${name}`;
  const childFill = {
    venueTradeId: fill.venueTradeId,
    price: parseDecimal(fill.price, where('price')),
    quantity: parseDecimal(fill.quantity, where('quantity')),
    fee: parseDecimal(fill.fee, where('fee')),
    feeCurrency: fill.feeCurrency,
  };
  const next = fill.intentId === null ? null : updateLeg(state, fill.intentId, fill.clientOrderId, (leg) => ({ ...leg, order: applyChildFill(leg.order, childFill) }));
  return next === null ? { state, error: `${where('')}: not a leg of a known intent` } : { state: next, error: null };
}

/** Adds a placed leg (PENDING_NEW) so that the next convergence counts it as possibly filled. */
export function addLeg(state: ExecutionState, spec: ChildOrderSpec, version: number): ExecutionState {
  const execution = state.get(spec.intentId) ?? EMPTY_EXECUTION;
  return state.set(spec.intentId, {
    ...execution,
    legs: [...execution.legs, { order: newChildOrder(spec), version, canceledBecause: null, amendingTo: null }],
    nextLeg: Math.max(execution.nextLeg, spec.leg + 1),
  });
}

/** Counts one routing of version `version` of the intent, against the re-route policy's limit. */
export function countRoute(state: ExecutionState, intentId: string, version: number): ExecutionState {
  const execution = state.get(intentId) ?? EMPTY_EXECUTION;
  const routes = execution.routedVersion === version ? execution.routes + 1 : 1;
  return state.set(intentId, { ...execution, routes, routedVersion: version });
}

/** Routings of the intent's current terms so far: none yet after a MODIFY. */
export function routesOf(execution: IntentExecution, version: number): number {
  return execution.routedVersion === version ? execution.routes : 0;
}

/**
 * The amend's outcome on its leg: accepted, the leg takes the version and price it was amended to
 * (it works for the modified terms, its place in the queue kept where the venue amends natively);
 * refused, or ended meanwhile, it keeps its own and the caller cancels what is left of it.
 */
function settleAmend(leg: Leg, event: OrderEvent['event']): Leg {
  if (leg.amendingTo === null) return leg;
  if (event === 'AMEND_ACCEPTED') return { ...leg, version: leg.amendingTo.version, order: { ...leg.order, limitPrice: leg.amendingTo.limitPrice }, amendingTo: null };
  return event === 'AMEND_REJECTED' ? { ...leg, amendingTo: null } : leg;
}

/** Records an amend we sent (AMEND_REQUESTED through the table) and the version and price the leg takes once accepted. */
export function requestAmend(state: ExecutionState, intentId: string, clientOrderId: string, to: { version: number; limitPrice: Decimal }): ExecutionState {
  return (
    updateLeg(state, intentId, clientOrderId, (leg) => {
      const step = applyOrderEvent(leg.order, 'AMEND_REQUESTED');
      return step.ok ? { ...leg, order: step.order, amendingTo: to } : leg;
    }) ?? state
  );
}

/** Records a cancel we sent (CANCEL_REQUESTED through the table) and why. */
export function requestCancel(state: ExecutionState, intentId: string, clientOrderId: string, why: string): ExecutionState {
  return (
    updateLeg(state, intentId, clientOrderId, (leg) => {
      const step = applyOrderEvent(leg.order, 'CANCEL_REQUESTED');
      return step.ok ? { ...leg, order: step.order, canceledBecause: why } : leg;
    }) ?? state
  );
}

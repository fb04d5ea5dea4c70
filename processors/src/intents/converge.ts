import {
  clientOrderId,
  Decimal,
  formatDecimal,
  isTerminalOrderState,
  parseIntentId,
  type OrderCommand,
  type TimeInForce,
} from '@crossvenue/schemas';
import { addLeg, countRoute, EMPTY_EXECUTION, requestAmend, requestCancel, routesOf, type ExecutionState, type IntentExecution, type Leg } from '../execution/ExecutionState.ts';
import { filledQuantity, possibleFill } from '../orders/ChildOrder.ts';
import { isHalted, type DesiredIntent, type DesiredState } from './DesiredState.ts';

/**
 * What happens to quantity that a leg did not fill. `reroute: false` never routes an intent again
 * after its first placement; otherwise at most `maxRoutes` routings (the first included).
 */
export interface ReroutePolicy {
  reroute: boolean;
  maxRoutes: number;
}

export const DEFAULT_REROUTE_POLICY: ReroutePolicy = { reroute: true, maxRoutes: 5 };

export type Action =
  | { kind: 'PLACE'; command: OrderCommand; version: number }
  | { kind: 'CANCEL'; command: OrderCommand; why: string }
  | { kind: 'AMEND'; command: OrderCommand; version: number };

export type CancelAction = Extract<Action, { kind: 'CANCEL' }>;

export interface Convergence {
  /** The cancels to send, each with why. */
  actions: CancelAction[];
}

/** What a command is stamped with: fresh ids and the time it is made. */
export interface CommandContext {
  newId: () => string;
  nowMs: number;
}

const ZERO = new Decimal(0);
const RESTING: ReadonlySet<TimeInForce> = new Set(['GTC', 'DAY', 'GTD']);

/**
 * The legs the desired state no longer wants: a CANCEL for every live leg (with no cancel asked
 * for yet) of an intent that was canceled or lost its one-cancels-other group, that a MODIFY
 * replaced (an older version), or that works where a cancel-all is in force (a flatten order
 * excepted). Pure; the caller sends the commands and records them with recordActions.
 *
 * Placing is not decided here: legs are placed only from the router's decisions, capped at
 * routableRemainder (PortfolioExecution), and what a finished leg left is asked for again through
 * routingNeed.
 */
export function converge(desired: DesiredState, actual: ExecutionState, context: CommandContext): Convergence {
  const actions: CancelAction[] = [];
  for (const intent of desired.intents.values()) {
    const execution = actual.get(intent.intentId) ?? EMPTY_EXECUTION;
    const stopped = stopReason(intent, desired, actual);
    for (const leg of execution.legs) {
      if (isTerminalOrderState(leg.order.state) || leg.canceledBecause !== null) continue;
      const why = stopped ?? legCancelReason(intent, desired, leg);
      if (why !== null) actions.push({ kind: 'CANCEL', command: cancelCommand(intent, leg, context), why });
    }
  }
  return { actions };
}

/** Quantity an intent needs routed now, with the routings its current terms had so far. */
export type RoutingNeed = { remainder: Decimal; routes: number } | { waiting: string };

/**
 * What is left to route of an intent now, or why it must wait (an all-or-none group not complete);
 * null when nothing is: the intent is stopped, fully working or filled, or the re-route policy
 * allows no further routing of its terms.
 *
 * Never over-fills: the remainder is amount - (what every leg may still end up filling), where a
 * live leg counts in full (an UNKNOWN one too, until the venue resolves it) and a finished leg
 * counts what it filled. So working + filled never exceeds the amount, even while legs on a dark
 * venue wait for their cancel to be confirmed.
 */
export function routingNeed(intent: DesiredIntent, desired: DesiredState, actual: ExecutionState, policy: ReroutePolicy): RoutingNeed | null {
  if (stopReason(intent, desired, actual) !== null) return null;
  const execution = actual.get(intent.intentId) ?? EMPTY_EXECUTION;
  const remainder = routableRemainder(intent, execution);
  if (!remainder.gt(0)) return null;
  const routes = routesOf(execution, intent.version);
  if (routes > 0 && (!policy.reroute || routes >= policy.maxRoutes)) return null;
  const waiting = groupWaiting(intent, desired);
  return waiting === null ? { remainder, routes } : { waiting };
}

/** Why the whole intent stops (every live leg is cancelled), or null while it is active. */
function stopReason(intent: DesiredIntent, desired: DesiredState, actual: ExecutionState): string | null {
  if (intent.status !== 'ACTIVE') return `intent ${intent.status.toLowerCase()}`;
  const group = intent.group;
  if (group?.contingency !== 'ONE_CANCELS_OTHER') return null;
  for (const other of desired.intents.values()) {
    if (other.intentId === intent.intentId || other.group?.groupId !== group.groupId) continue;
    if (actual.get(other.intentId)?.legs.some((leg) => filledQuantity(leg.order).gt(0))) return `one-cancels-other: ${other.intentId} filled`;
  }
  return null;
}

function legCancelReason(intent: DesiredIntent, desired: DesiredState, leg: Leg): string | null {
  const { venue, account } = leg.order;
  if (!intent.flattens && isHalted(desired.halts, venue, account)) return `cancel-all in force on ${venue}/${account}`;
  // A leg being amended to these terms stays; its amend refused, it is cancelled then.
  if (leg.version !== intent.version && leg.amendingTo?.version !== intent.version) return `intent modified to version ${intent.version}`;
  return null;
}

/**
 * amount - what every leg may still fill - what ended for good (IOC/FOK expiries of the current
 * terms; a MODIFY asks afresh, so earlier versions' expiries no longer count).
 *
 * A finished leg's unfilled quantity may be routed again (within the policy) when the leg was
 * rejected, when we cancelled it (the intent was modified, its venue halted), or, for market
 * intents and GTC/DAY/GTD intents, when the venue cancelled or expired it. For IOC and FOK limit
 * intents an expired or venue-cancelled leg ends that quantity: immediate-or-cancel means not later.
 */
export function routableRemainder(intent: DesiredIntent, execution: IntentExecution): Decimal {
  let remainder = intent.order.amount;
  for (const leg of execution.legs) {
    remainder = remainder.minus(possibleFill(leg.order));
    if (isTerminalOrderState(leg.order.state) && leg.version === intent.version && !reroutable(intent, leg)) remainder = remainder.minus(leg.order.quantity.minus(filledQuantity(leg.order)));
  }
  return Decimal.max(remainder, ZERO);
}

/**
 * Venues that rejected a leg of the intent's current terms (refused it, or could not be reached):
 * a re-route avoids them. A leg that expired or was cancelled unfilled says the book moved, not
 * that the venue is bad, so its venue stays a candidate.
 */
export function venuesToAvoid(intent: DesiredIntent, execution: IntentExecution): string[] {
  const rejected = execution.legs.filter(({ order, version }) => version === intent.version && order.state === 'REJECTED');
  return [...new Set(rejected.map((leg) => leg.order.venue))];
}

function reroutable(intent: DesiredIntent, leg: Leg): boolean {
  const { state } = leg.order;
  if (state === 'FILLED') return false;
  // A market intent wants its amount now: the IOC on its legs is ours (a price cap per leg), not
  // the user's, so what a leg left because the book moved is routed again.
  const market = intent.order.limitPrice === null;
  return state === 'REJECTED' || leg.canceledBecause !== null || market || RESTING.has(intent.order.timeInForce);
}

/** An ALL_OR_NONE group acts once all its members have arrived. */
function groupWaiting(intent: DesiredIntent, desired: DesiredState): string | null {
  const group = intent.group;
  if (group === null || group.contingency !== 'ALL_OR_NONE') return null;
  const arrived = [...desired.intents.values()].filter((other) => other.group?.groupId === group.groupId).length;
  return arrived < group.size ? `group ${group.groupId}: ${arrived} of ${group.size} members arrived` : null;
}

/**
 * A market intent's legs are limit orders at the worst level they may reach, sent IOC (FOK stays
 * FOK). A DAY or GTD intent's legs rest GTC: when a venue's day ends differs by venue and few
 * venues take GTD, so the execution side ends them itself (PortfolioExecution.expire).
 */
function legTimeInForce(order: DesiredIntent['order']): OrderCommand['timeInForce'] {
  if (order.limitPrice === null && order.timeInForce !== 'FOK') return 'IOC';
  return order.timeInForce === 'DAY' || order.timeInForce === 'GTD' ? 'GTC' : order.timeInForce;
}

function baseCommand(intent: DesiredIntent, context: CommandContext) {
  const { order } = intent;
  return {
    eventId: context.newId(),
    commandId: context.newId(),
    intentId: intent.intentId,
    portfolio: intent.portfolio,
    instrument: order.instrument,
    side: order.side,
    orderType: 'LIMIT' as const,
    timeInForce: legTimeInForce(order),
    // The execution side holds a DAY or GTD intent's end (an EXPIRE cancels its legs).
    expireAtMs: null,
    triggerPrice: null,
    postOnly: order.postOnly,
    reduceOnly: order.reduceOnly,
    icebergQuantity: null,
    newQuantity: null,
    newLimitPrice: null,
    venueOrderId: null,
    createdAtMs: context.nowMs,
    routeDecisionId: null,
  };
}

/** One leg of a route decision, numbered for good by the execution side. */
export interface NumberedLeg {
  leg: number;
  venue: string;
  account: string;
  quantity: Decimal;
  limitPrice: Decimal;
}

/** The PLACE command of one leg the router planned for the intent. */
export function placeCommand(intent: DesiredIntent, leg: NumberedLeg, context: CommandContext): OrderCommand {
  return {
    ...baseCommand(intent, context),
    type: 'PLACE',
    leg: leg.leg,
    attempt: 0,
    clientOrderId: clientOrderId(parseIntentId(intent.intentId), leg.leg, 0),
    venue: leg.venue,
    account: leg.account,
    quantity: formatDecimal(leg.quantity),
    limitPrice: formatDecimal(leg.limitPrice),
  };
}

/**
 * The legs a MODIFY can amend where they rest rather than cancel and place again: when the new
 * terms change the limit price and nothing else (a new amount is cancelled and routed again: how
 * it would split over the legs is the router's to say), each resting leg of the old terms (acknowledged, no cancel or amend under way) gets
 * an AMEND to the new price. The venue keeps its place in the queue where it amends natively; the
 * connector cancels and replaces it (same client order id) where it does not (VenueCapabilities).
 */
export function amendActions(before: DesiredIntent, after: DesiredIntent, execution: IntentExecution, context: CommandContext): Action[] {
  const [was, now] = [before.order, after.order];
  if (was.limitPrice === null || now.limitPrice === null || was.limitPrice.equals(now.limitPrice) || !now.amount.equals(was.amount)) return [];
  const same = was.side === now.side && was.amountType === now.amountType && was.timeInForce === now.timeInForce && was.postOnly === now.postOnly && was.reduceOnly === now.reduceOnly && was.trigger === null && now.trigger === null;
  if (!same) return [];
  const resting = execution.legs.filter((leg) => leg.version === before.version && leg.canceledBecause === null && leg.amendingTo === null && (leg.order.state === 'NEW' || leg.order.state === 'PARTIALLY_FILLED'));
  return resting.map((leg) => ({ kind: 'AMEND', command: { ...legCommand(after, leg, context), type: 'AMEND', newLimitPrice: formatDecimal(now.limitPrice!) }, version: after.version }));
}

function cancelCommand(intent: DesiredIntent, leg: Leg, context: CommandContext): OrderCommand {
  return { ...legCommand(intent, leg, context), type: 'CANCEL' };
}

/** A command about a leg already placed: its identity and terms as sent. */
function legCommand(intent: DesiredIntent, leg: Leg, context: CommandContext): Omit<OrderCommand, 'type'> {
  const { order } = leg;
  return {
    ...baseCommand(intent, context),
    leg: order.leg,
    attempt: order.attempt,
    clientOrderId: order.clientOrderId,
    venue: order.venue,
    account: order.account,
    quantity: formatDecimal(order.quantity),
    limitPrice: order.limitPrice === null ? null : formatDecimal(order.limitPrice),
  };
}

/** What was sent, to record: the commands, and the routings that count against the re-route policy. */
export interface SentActions {
  actions: readonly Action[];
  /** One per routing of an intent version (a route decision placed, adopted or re-read). */
  routed: readonly { intentId: string; version: number }[];
}

/** Records what was sent: placed legs (PENDING_NEW), requested cancels and amends, one routing per intent version routed. */
export function recordActions(actual: ExecutionState, sent: SentActions): ExecutionState {
  let state = actual;
  for (const action of sent.actions) {
    const { command } = action;
    if (action.kind === 'CANCEL') {
      state = requestCancel(state, command.intentId, command.clientOrderId, action.why);
      continue;
    }
    if (action.kind === 'AMEND') {
      state = requestAmend(state, command.intentId, command.clientOrderId, { version: action.version, limitPrice: new Decimal(command.newLimitPrice!) });
      continue;
    }
    state = addLeg(
      state,
      {
        clientOrderId: command.clientOrderId,
        intentId: command.intentId,
        leg: command.leg,
        attempt: command.attempt,
        venue: command.venue,
        account: command.account,
        side: command.side,
        quantity: new Decimal(command.quantity),
        limitPrice: command.limitPrice === null ? null : new Decimal(command.limitPrice),
      },
      action.version,
    );
  }
  for (const { intentId, version } of sent.routed) state = countRoute(state, intentId, version);
  return state;
}

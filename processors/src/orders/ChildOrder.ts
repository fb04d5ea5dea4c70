import {
  Decimal,
  isTerminalOrderState,
  type OrderEventType,
  type OrderState,
  type Side,
  transition,
} from '@crossvenue/schemas';
import type { InvalidTransitionError } from '@crossvenue/schemas';

/** One execution of a child order, as parsed from a Fill message; its identity is the venue trade id. */
export interface ChildFill {
  venueTradeId: string;
  price: Decimal;
  quantity: Decimal;
  fee: Decimal;
  feeCurrency: string;
}

/**
 * One child order (one attempt of one leg of an intent) as our execution state knows it. Values,
 * never mutated: every step returns a new ChildOrder, so a rejected step leaves nothing half-done.
 * Quantities are in the base asset.
 */
export interface ChildOrder {
  readonly clientOrderId: string;
  readonly intentId: string;
  readonly leg: number;
  readonly attempt: number;
  readonly venue: string;
  readonly account: string;
  readonly side: Side;
  readonly quantity: Decimal;
  readonly limitPrice: Decimal | null;
  readonly state: OrderState;
  /** The highest cumulative filled quantity an order event reported; fills can lag behind it. */
  readonly reportedFilled: Decimal;
  /** Fills by venue trade id: a replayed or duplicated fill is applied once. */
  readonly fills: ReadonlyMap<string, ChildFill>;
}

export type ChildOrderSpec = Omit<ChildOrder, 'state' | 'reportedFilled' | 'fills'>;

const ZERO = new Decimal(0);

export function newChildOrder(spec: ChildOrderSpec): ChildOrder {
  return { ...spec, state: 'PENDING_NEW', reportedFilled: ZERO, fills: new Map() };
}

export type ChildOrderStep = { ok: true; order: ChildOrder } | { ok: false; order: ChildOrder; error: InvalidTransitionError };

/**
 * Applies an order event through the transition table. `cumulativeFilled` is the event's filled
 * quantity; it only ever raises what we know, since reports arrive out of order. On an invalid
 * pair the order is returned unchanged with the error, for the caller to log and audit.
 */
export function applyOrderEvent(
  order: ChildOrder,
  event: OrderEventType,
  cumulativeFilled: Decimal = ZERO,
  newQuantity: Decimal | null = null,
): ChildOrderStep {
  const reportedFilled = Decimal.max(order.reportedFilled, cumulativeFilled);
  const result = transition(order.state, event, Decimal.max(reportedFilled, fillSum(order)).gt(0), order.clientOrderId);
  if (!result.ok) return { ok: false, order, error: result.error };
  const quantity = event === 'AMEND_ACCEPTED' && newQuantity !== null ? newQuantity : order.quantity;
  return { ok: true, order: { ...order, state: result.state, reportedFilled, quantity } };
}

/** Adds a fill unless its trade id was seen: replays and duplicates never change the result. */
export function applyChildFill(order: ChildOrder, fill: ChildFill): ChildOrder {
  if (order.fills.has(fill.venueTradeId)) return order;
  return { ...order, fills: new Map(order.fills).set(fill.venueTradeId, fill) };
}

function fillSum(order: ChildOrder): Decimal {
  let sum = ZERO;
  for (const fill of order.fills.values()) sum = sum.plus(fill.quantity);
  return sum;
}

/** What we know executed: the larger of the fills we hold and the cumulative quantity the venue reported. */
export function filledQuantity(order: ChildOrder): Decimal {
  return Decimal.max(fillSum(order), order.reportedFilled);
}

/**
 * The most this order can end up having executed. A terminal order: what filled. Any other order,
 * UNKNOWN included, may still fill completely, so all of it counts until the venue says otherwise.
 */
export function possibleFill(order: ChildOrder): Decimal {
  const filled = filledQuantity(order);
  return isTerminalOrderState(order.state) ? filled : Decimal.max(order.quantity, filled);
}

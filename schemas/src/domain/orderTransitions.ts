import type { OrderEventType, OrderState } from '../messages/OrderEvent.ts';
import { InvalidTransitionError } from './InvalidTransitionError.ts';

/**
 * OPEN is not a state: it is "back to open", which is NEW before any fill and PARTIALLY_FILLED
 * after one. A rejected cancel or a settled amend returns there, and which of the two it is
 * depends on the fills seen meanwhile, not on the state we left.
 */
export type TransitionTarget = OrderState | 'OPEN';

type Table = { readonly [S in OrderState]: Partial<Readonly<Record<OrderEventType, TransitionTarget>>> };

/**
 * The one order transition table: (state, event) -> state. A pair that is not here is an
 * InvalidTransitionError, never silently applied. An order is created in PENDING_NEW when its
 * command is built. There is deliberately no timer event: an UNKNOWN order leaves UNKNOWN only on
 * venue evidence (a lookup by client order id, an order or fill event, the open-orders list), and
 * NOT_FOUND is that evidence saying the order does not exist.
 */
export const ORDER_TRANSITIONS: Table = {
  PENDING_NEW: {
    SUBMITTED: 'PENDING_NEW', // the request left; the order stays pending until the venue answers
    SUBMIT_UNKNOWN: 'UNKNOWN', // timeout or dropped connection: the order may or may not exist
    ACCEPTED: 'NEW',
    REJECTED: 'REJECTED',
    PARTIALLY_FILLED: 'PARTIALLY_FILLED', // fill before ack: the user stream overtook the REST response
    FILLED: 'FILLED', // filled before ack, same race
    CANCEL_REQUESTED: 'PENDING_CANCEL', // cancel by client order id before the ack arrived
    CANCELED: 'CANCELED', // an IOC with nothing to take can be acked and canceled in one report
    EXPIRED: 'EXPIRED', // an IOC/FOK that found no liquidity (Binance reports EXPIRED)
  },
  NEW: {
    ACCEPTED: 'NEW', // the REST response and the user stream both acknowledge it
    PARTIALLY_FILLED: 'PARTIALLY_FILLED',
    FILLED: 'FILLED',
    CANCEL_REQUESTED: 'PENDING_CANCEL',
    CANCEL_REJECTED: 'NEW', // a late second reject of a retried cancel, after the first restored the order
    CANCELED: 'CANCELED', // canceled by the venue or in its web UI, not by us
    AMEND_REQUESTED: 'PENDING_AMEND',
    EXPIRED: 'EXPIRED', // DAY/GTD ran out
  },
  PARTIALLY_FILLED: {
    ACCEPTED: 'PARTIALLY_FILLED', // ack after fill: the ack was slower than the first fill
    PARTIALLY_FILLED: 'PARTIALLY_FILLED',
    FILLED: 'FILLED',
    CANCEL_REQUESTED: 'PENDING_CANCEL',
    CANCEL_REJECTED: 'PARTIALLY_FILLED', // a late second reject of a retried cancel
    CANCELED: 'CANCELED', // the rest canceled by the venue
    AMEND_REQUESTED: 'PENDING_AMEND',
    EXPIRED: 'EXPIRED', // an IOC remainder, or DAY/GTD ran out
  },
  FILLED: {
    ACCEPTED: 'FILLED', // ack after fill: a late ack never reopens a filled order
    PARTIALLY_FILLED: 'FILLED', // a partial fill report that arrived after the final one (reordered)
    FILLED: 'FILLED', // the same fill reported twice (REST and stream)
    CANCEL_REJECTED: 'FILLED', // cancel reject because already filled
    AMEND_REJECTED: 'FILLED', // amend reject because already filled
  },
  PENDING_CANCEL: {
    ACCEPTED: 'PENDING_CANCEL', // late ack of an order we asked to cancel before it was acked
    REJECTED: 'REJECTED', // canceled before the ack, then the submit itself was rejected
    PARTIALLY_FILLED: 'PENDING_CANCEL', // a fill while the cancel is in flight; still cancelling the rest
    FILLED: 'FILLED', // the fill won the race against the cancel
    CANCEL_REQUESTED: 'PENDING_CANCEL', // a retried cancel
    CANCEL_REJECTED: 'OPEN', // the venue refused the cancel and the order is still working
    CANCELED: 'CANCELED',
    EXPIRED: 'EXPIRED', // expire while pending cancel: the order ran out before the cancel landed
  },
  CANCELED: {
    ACCEPTED: 'CANCELED', // ack after the cancel ack (reordered reports)
    PARTIALLY_FILLED: 'CANCELED', // fill after cancel ack: it executed before the cancel, reported late
    CANCEL_REJECTED: 'CANCELED', // a retried cancel rejected because the first one already canceled it
    CANCELED: 'CANCELED', // cancel acknowledged twice (REST and stream)
    AMEND_REJECTED: 'CANCELED', // amend reject because already canceled
  },
  REJECTED: {
    REJECTED: 'REJECTED', // rejected twice (REST and stream)
    NOT_FOUND: 'REJECTED', // a lookup confirming a rejected order does not exist
  },
  EXPIRED: {
    ACCEPTED: 'EXPIRED', // ack after expiry: an IOC acked late
    PARTIALLY_FILLED: 'EXPIRED', // an IOC's partial fill reported after its EXPIRED
    CANCEL_REJECTED: 'EXPIRED', // cancel reject because already expired
    EXPIRED: 'EXPIRED', // expiry reported twice
    AMEND_REJECTED: 'EXPIRED', // amend reject because already expired
  },
  PENDING_AMEND: {
    PARTIALLY_FILLED: 'PENDING_AMEND', // a fill while the amend is in flight
    FILLED: 'FILLED', // filled before the amend landed
    AMEND_REQUESTED: 'PENDING_AMEND', // a retried amend
    AMEND_ACCEPTED: 'OPEN',
    AMEND_REJECTED: 'OPEN', // amend reject: the order keeps working unchanged
    CANCEL_REQUESTED: 'PENDING_CANCEL', // a cancel overrides the amend in flight
    CANCELED: 'CANCELED', // a cancel-replace whose replace failed, or a venue cancel
    EXPIRED: 'EXPIRED',
  },
  UNKNOWN: {
    SUBMIT_UNKNOWN: 'UNKNOWN', // the lookup to resolve it also timed out: still unknown
    ACCEPTED: 'NEW', // venue evidence: the order exists and is open
    REJECTED: 'REJECTED', // the late response was a reject
    PARTIALLY_FILLED: 'PARTIALLY_FILLED', // fill while UNKNOWN: the fill proves the order exists
    FILLED: 'FILLED', // fill while UNKNOWN
    CANCEL_REQUESTED: 'UNKNOWN', // a cancel by client order id does not resolve the order; evidence does
    CANCEL_REJECTED: 'UNKNOWN', // the venue refused that cancel: still no evidence either way
    CANCELED: 'CANCELED', // found canceled (e.g. by our cancel by client order id)
    EXPIRED: 'EXPIRED', // found expired: an IOC/FOK that took nothing
    NOT_FOUND: 'REJECTED', // the venue confirms it never got it: only now may a new attempt be sent
  },
};

/** The result of one step: the new state, or the error the caller must log and audit. */
export type TransitionResult = { ok: true; state: OrderState } | { ok: false; error: InvalidTransitionError };

/**
 * The state `event` moves an order in `state` to. `hasFills` resolves OPEN (NEW or
 * PARTIALLY_FILLED). Returns the error rather than throwing, so a caller cannot apply an invalid
 * transition by forgetting a catch.
 */
export function transition(
  state: OrderState,
  event: OrderEventType,
  hasFills: boolean,
  clientOrderId: string | null = null,
): TransitionResult {
  const target = ORDER_TRANSITIONS[state][event];
  if (target === undefined) return { ok: false, error: new InvalidTransitionError(state, event, clientOrderId) };
  return { ok: true, state: target === 'OPEN' ? (hasFills ? 'PARTIALLY_FILLED' : 'NEW') : target };
}


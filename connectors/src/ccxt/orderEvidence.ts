import { Decimal, type OrderEventType } from '@crossvenue/schemas';
import type { Order } from 'ccxt';
import { fromOptionalCcxtNumber } from './ccxtValues.ts';
import { toBaseString, type ContractTerms } from './contractUnits.ts';
import type { VenueCapabilities } from './VenueCapabilities.ts';

/**
 * What the venue says about one order, as the event we publish. The state it leads to is the
 * order transition table's (schemas `transition`), from the state we last reported.
 */
export interface OrderEvidence {
  event: OrderEventType;
  /** The venue's own word (Binance `status`/`X`, Bybit `orderStatus`), never lost. */
  rawVenueStatus: string;
  /** A create/amend response that carries only ids (Bybit): it proves the order exists, nothing more. */
  idsOnly: boolean;
  venueOrderId: string | null;
  filledQuantity: string | null;
  limitPrice: string | null;
  averagePrice: string | null;
  venueTimeMs: number | null;
}

/**
 * ccxt's unified status (open/closed/canceled/expired/rejected) plus the filled amount decide the
 * event; the raw status travels beside it, so e.g. Binance EXPIRED_IN_MATCH or Bybit
 * PartiallyFilledCanceled stay visible although they map to EXPIRED / CANCELED.
 * https://docs.ccxt.com/#/README?id=order-structure
 * `market` is the order's ccxt market: ccxt's `filled` counts its contracts, reported in the base
 * asset (contractUnits.ts); only the raw status is read without it.
 */
export function orderEvidence(order: Order, capabilities: VenueCapabilities, market?: ContractTerms): OrderEvidence {
  const filled = fromOptionalCcxtNumber(order.filled);
  const hasFills = filled !== null && new Decimal(filled).gt(0);
  const event = eventOf(order.status, hasFills, closedShort(order, filled));
  const info = (order.info ?? {}) as Record<string, unknown>;
  const raw = capabilities.rawStatusKeys.map((key) => info[key]).find((value) => typeof value === 'string');
  const idsOnly = typeof raw !== 'string' && order.status === undefined;
  return {
    event,
    // Bybit's create and amend responses carry only ids: the acknowledgement is the evidence.
    rawVenueStatus: typeof raw === 'string' ? raw : (order.status ?? 'ACKNOWLEDGED'),
    idsOnly,
    venueOrderId: order.id ? String(order.id) : null,
    filledQuantity: market ? toBaseString(market, filled) : filled,
    limitPrice: fromOptionalCcxtNumber(order.price),
    averagePrice: hasFills ? fromOptionalCcxtNumber(order.average) : null,
    venueTimeMs: order.lastUpdateTimestamp ?? order.timestamp ?? null,
  };
}

/**
 * ccxt calls Bybit's PartiallyFilledCanceled (a spot market or IOC order that ran out of book)
 * 'closed' (https://github.com/ccxt/ccxt/issues/18685), although it is not filled: a closed order
 * with less filled than its amount ended by cancellation.
 */
function closedShort(order: Order, filled: string | null): boolean {
  const amount = fromOptionalCcxtNumber(order.amount);
  return order.status === 'closed' && filled !== null && amount !== null && new Decimal(filled).lt(amount);
}

function eventOf(status: string | undefined, hasFills: boolean, closedShort: boolean): OrderEventType {
  switch (status) {
    case 'closed':
      return closedShort ? 'CANCELED' : 'FILLED';
    case 'canceled':
      return 'CANCELED';
    case 'expired':
      return 'EXPIRED';
    case 'rejected':
      // Fills prove the order existed: a venue refusing the rest of a partly filled order (Bybit
      // `Rejected` with cumExecQty > 0) ended it as a cancellation would. REJECTED ("never took it")
      // is not in the table after PARTIALLY_FILLED, so the order would have stayed open for good.
      return hasFills ? 'CANCELED' : 'REJECTED';
    default:
      // 'open', or no status at all (an acknowledgement that carries only the order id).
      return hasFills ? 'PARTIALLY_FILLED' : 'ACCEPTED';
  }
}

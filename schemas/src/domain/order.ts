import type { OrderType, Side, TimeInForce } from '../messages/enums.ts';
import type { AmountType, IntentOrder, TriggerType } from '../messages/Intent.ts';
import { formatDecimal, formatNullableDecimal, parseDecimal, parseNullableDecimal, type Decimal } from './decimal.ts';
import { validateSymbol, type UnifiedSymbol } from './symbols.ts';

/**
 * The standard order (DESIGN.md "Data model") with exact values. Amounts are in the base asset or
 * the quote currency, never in contracts, so that one order means the same on every venue; the
 * venue's unit comes in only when it is checked against a market (see venueQuantity).
 */
export interface StandardOrder {
  instrument: UnifiedSymbol;
  side: Side;
  amount: Decimal;
  amountType: AmountType;
  /** Null for a market order. */
  limitPrice: Decimal | null;
  timeInForce: TimeInForce;
  /** Set exactly when timeInForce is GTD. */
  expireAtMs: number | null;
  postOnly: boolean;
  reduceOnly: boolean;
  trigger: { type: TriggerType; triggerPrice: Decimal } | null;
  /** Quantity shown at a time, in the base asset; null shows it all. */
  icebergQuantity: Decimal | null;
}

/** 9999-12-31T23:59:59.999Z: the last instant a date can show; an order's times stay within it. */
export const MAX_EPOCH_MS = 253_402_300_799_999;

export function parseIntentOrder(instrument: string, order: IntentOrder): StandardOrder {
  const where = (field: string) => `order ${instrument} ${field}`;
  return {
    ...order,
    instrument: validateSymbol(instrument),
    amount: parseDecimal(order.amount, where('amount')),
    limitPrice: parseNullableDecimal(order.limitPrice, where('limitPrice')),
    trigger: order.trigger && { type: order.trigger.type, triggerPrice: parseDecimal(order.trigger.triggerPrice, where('triggerPrice')) },
    icebergQuantity: parseNullableDecimal(order.icebergQuantity, where('icebergQuantity')),
  };
}

/** The wire form of an order; its instrument travels in the intent beside it. */
export function toIntentOrder(order: StandardOrder): IntentOrder {
  const { instrument: _instrument, ...rest } = order;
  return {
    ...rest,
    amount: formatDecimal(order.amount),
    limitPrice: formatNullableDecimal(order.limitPrice),
    trigger: order.trigger && { type: order.trigger.type, triggerPrice: formatDecimal(order.trigger.triggerPrice) },
    icebergQuantity: formatNullableDecimal(order.icebergQuantity),
  };
}

/** The venue order type an order needs: a limit price makes it *_LIMIT, a trigger STOP_* or TAKE_PROFIT_*. */
export function orderTypeOf(order: Pick<StandardOrder, 'limitPrice' | 'trigger'>): OrderType {
  const execution = order.limitPrice === null ? 'MARKET' : 'LIMIT';
  return order.trigger === null ? execution : (`${order.trigger.type}_${execution}` as const);
}

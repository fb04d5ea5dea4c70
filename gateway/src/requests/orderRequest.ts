import { formatDecimal, type IntentOrder } from '@crossvenue/schemas';
import { invalid } from '../http/HttpError.ts';
import {
  instrumentField,
  oneOf,
  optionalAccount,
  optionalBoolean,
  optionalEpochMs,
  portfolioField,
  positiveDecimal,
  refuseNotExecuted,
  venueList,
} from './fields.ts';

export interface OrderRequest {
  portfolio: string;
  instrument: string;
  account: string | null;
  venues: string[];
  order: IntentOrder;
}

const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK', 'DAY', 'GTD'] as const;

/**
 * The standard order of a unified_order request (DESIGN.md "Data model"): side, amount in BASE or
 * QUOTE, optional limit price, time in force, post-only, reduce-only, trigger, iceberg. Every rule
 * that can be checked without a venue is checked here: a malformed order is a 400, a well-formed
 * one the execution path does not execute a 422; venue rules (tick, lot) are the router's.
 */
export function parseOrderRequest(body: Record<string, unknown>): OrderRequest {
  const portfolio = portfolioField(body);
  const instrument = instrumentField(body);
  const account = optionalAccount(body);
  const venues = venueList(body);
  const side = oneOf(body, 'side', ['BUY', 'SELL'] as const);
  const amount = positiveDecimal(body, 'amount');
  const amountType = oneOf(body, 'amountType', ['BASE', 'QUOTE'] as const, 'BASE');
  const limitPrice = positiveDecimal(body, 'limitPrice', { optional: true });
  const timeInForce = oneOf(body, 'timeInForce', TIME_IN_FORCE, 'GTC');
  const expireAtMs = optionalEpochMs(body, 'expireAtMs');
  const postOnly = optionalBoolean(body, 'postOnly');
  const reduceOnly = optionalBoolean(body, 'reduceOnly');
  const icebergQuantity = positiveDecimal(body, 'icebergQuantity', { optional: true });

  if (timeInForce === 'GTD' && expireAtMs === null) throw invalid('expireAtMs', 'is required when timeInForce is GTD');
  if (timeInForce !== 'GTD' && expireAtMs !== null) throw invalid('expireAtMs', 'is only allowed with timeInForce GTD');
  if (postOnly && limitPrice === null) throw invalid('postOnly', 'needs a limitPrice: a post-only order rests at its price');
  if (postOnly && (timeInForce === 'IOC' || timeInForce === 'FOK')) throw invalid('postOnly', `cannot rest with timeInForce ${timeInForce}`);
  if (icebergQuantity && icebergQuantity.greaterThanOrEqualTo(amount)) throw invalid('icebergQuantity', 'must be less than amount');
  if (icebergQuantity && limitPrice === null) throw invalid('icebergQuantity', 'needs a limitPrice');

  const order: IntentOrder = {
    side,
    amount: formatDecimal(amount),
    amountType,
    limitPrice: limitPrice && formatDecimal(limitPrice),
    timeInForce,
    expireAtMs,
    postOnly,
    reduceOnly,
    trigger: parseTrigger(body.trigger),
    icebergQuantity: icebergQuantity && formatDecimal(icebergQuantity),
  };
  refuseNotExecuted({ kind: 'ORDER', order });
  return { portfolio, instrument, account, venues, order };
}

function parseTrigger(raw: unknown): IntentOrder['trigger'] {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('trigger', 'must be an object with type and triggerPrice');
  const trigger = raw as Record<string, unknown>;
  const type = oneOf({ 'trigger.type': trigger.type }, 'trigger.type', ['STOP', 'TAKE_PROFIT'] as const);
  const price = positiveDecimal({ 'trigger.triggerPrice': trigger.triggerPrice }, 'trigger.triggerPrice');
  return { type, triggerPrice: formatDecimal(price) };
}

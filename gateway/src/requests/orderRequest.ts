import { formatDecimal, type ExecutionAlgo, type IntentOrder } from '@crossvenue/schemas';
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
  /** An execution algorithm (a TWAP), or null for an order placed at once. */
  algo: ExecutionAlgo | null;
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
  const algo = parseAlgo(body.algo);
  refuseNotExecuted({ kind: 'ORDER', order, algo });
  return { portfolio, instrument, account, venues, order, algo };
}

/** The longest schedule taken: a day. */
const MAX_ALGO_MS = 86_400_000;

/** A TWAP's schedule: durationMs from 1 s to a day, slices at least 1 s apart (by default ten slices; one when the interval is the duration or longer). */
function parseAlgo(raw: unknown): ExecutionAlgo | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('algo', 'must be an object with type and durationMs');
  const algo = raw as Record<string, unknown>;
  const type = oneOf({ 'algo.type': algo.type }, 'algo.type', ['TWAP'] as const);
  const durationMs = milliseconds(algo.durationMs, 'algo.durationMs', 1_000, MAX_ALGO_MS);
  const sliceIntervalMs = algo.sliceIntervalMs === undefined || algo.sliceIntervalMs === null ? Math.max(1_000, Math.floor(durationMs / 10)) : milliseconds(algo.sliceIntervalMs, 'algo.sliceIntervalMs', 1_000, MAX_ALGO_MS);
  return { type, durationMs, sliceIntervalMs };
}

function milliseconds(raw: unknown, name: string, min: number, max: number): number {
  if (!Number.isSafeInteger(raw) || (raw as number) < min || (raw as number) > max) throw invalid(name, `must be whole milliseconds from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return raw as number;
}

function parseTrigger(raw: unknown): IntentOrder['trigger'] {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('trigger', 'must be an object with type and triggerPrice');
  const trigger = raw as Record<string, unknown>;
  const type = oneOf({ 'trigger.type': trigger.type }, 'trigger.type', ['STOP', 'TAKE_PROFIT'] as const);
  const price = positiveDecimal({ 'trigger.triggerPrice': trigger.triggerPrice }, 'trigger.triggerPrice');
  return { type, triggerPrice: formatDecimal(price) };
}

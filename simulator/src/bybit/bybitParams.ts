import { DECIMAL_STRING, Decimal } from '@crossvenue/schemas';
import type { OrderRef } from '../engine/OrderRegistry.ts';
import type { OrderRequest, OrderType, TimeInForce } from '../engine/types.ts';
import { paramsError } from './BybitError.ts';

/** A Bybit request's parameters: the query for GET, the JSON object body for POST. */
export type BybitParams = Record<string, unknown>;

export function parseBody(body: string): BybitParams {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw paramsError('the request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw paramsError('the request body must be a JSON object');
  return parsed as BybitParams;
}

export function text(params: BybitParams, name: string): string {
  const value = params[name];
  if (typeof value !== 'string' || value === '') throw paramsError(`${name} must be a non-empty string`);
  return value;
}

export function optionalText(params: BybitParams, name: string): string | undefined {
  return params[name] === undefined || params[name] === '' ? undefined : text(params, name);
}

/** Bybit sends amounts as strings; a JSON number is refused (it may already have lost digits). */
export function decimal(params: BybitParams, name: string): Decimal {
  const value = text(params, name);
  if (!DECIMAL_STRING.test(value) || value.startsWith('-')) throw paramsError(`${name} "${value.slice(0, 40)}" is not a positive decimal string`);
  return new Decimal(value);
}

/** Only spot is listed here; any other category is refused as Bybit refuses an illegal one. */
export function spotCategory(params: BybitParams): void {
  if (params.category !== 'spot') throw paramsError('category only supports spot on this venue');
}

export function orderRef(params: BybitParams): OrderRef {
  const orderId = optionalText(params, 'orderId');
  if (orderId !== undefined) {
    if (!/^\d{1,15}$/.test(orderId)) return { orderId: -1 };
    return { orderId: Number(orderId) };
  }
  const clientOrderId = optionalText(params, 'orderLinkId');
  if (clientOrderId !== undefined) return { clientOrderId };
  throw paramsError('orderId or orderLinkId is required');
}

/**
 * `POST /v5/order/create` for spot: Limit/Market, GTC/IOC/FOK/PostOnly, `orderLinkId`. A market
 * order's qty must be in the base coin (`marketUnit: baseCoin`); quote-sized market buys are not
 * simulated. https://bybit-exchange.github.io/docs/v5/order/create-order
 */
export function newOrder(params: BybitParams, account: string): OrderRequest {
  spotCategory(params);
  const symbol = text(params, 'symbol');
  const side = params.side === 'Buy' ? 'BUY' : params.side === 'Sell' ? 'SELL' : undefined;
  if (!side) throw paramsError('side must be Buy or Sell');
  const orderType = params.orderType;
  if (orderType !== 'Limit' && orderType !== 'Market') throw paramsError('orderType must be Limit or Market');
  const timeInForce = params.timeInForce ?? (orderType === 'Market' ? 'IOC' : 'GTC');
  if (!['GTC', 'IOC', 'FOK', 'PostOnly'].includes(timeInForce as string)) throw paramsError('timeInForce must be GTC, IOC, FOK or PostOnly');
  const quantity = decimal(params, 'qty');
  if (orderType === 'Market') {
    const marketUnit = params.marketUnit ?? (side === 'BUY' ? 'quoteCoin' : 'baseCoin');
    if (marketUnit !== 'baseCoin') throw paramsError('market orders must set marketUnit baseCoin on this simulated venue');
    return { account, symbol, side, type: 'MARKET', quantity, ...clientId(params) };
  }
  const type: OrderType = timeInForce === 'PostOnly' ? 'LIMIT_MAKER' : 'LIMIT';
  const request: OrderRequest = { account, symbol, side, type, quantity, price: decimal(params, 'price'), ...clientId(params) };
  if (type === 'LIMIT') request.timeInForce = timeInForce as TimeInForce;
  return request;
}

function clientId(params: BybitParams): { clientOrderId?: string } {
  const id = optionalText(params, 'orderLinkId');
  if (id === undefined) return {};
  if (!/^[A-Za-z0-9_-]{1,36}$/.test(id)) throw paramsError('orderLinkId must be 1-36 characters of letters, digits, _ and -');
  return { clientOrderId: id };
}

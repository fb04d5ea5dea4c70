import { DECIMAL_STRING, Decimal } from '@crossvenue/schemas';
import type { OrderRef } from '../engine/OrderRegistry.ts';
import type { OrderRequest, OrderType, Side, TimeInForce } from '../engine/types.ts';
import type { VenueRequest } from '../VenueTransport.ts';
import { BinanceError, missingParameter } from './BinanceError.ts';

/** A request's parameters: the query string, then the body, which Binance reads as form parameters whatever its content type says. */
export function binanceParams(request: VenueRequest): URLSearchParams {
  const params = new URLSearchParams(request.query);
  for (const [key, value] of new URLSearchParams(request.body)) params.append(key, value);
  return params;
}

/**
 * Reading Binance request parameters with Binance's own errors for missing or malformed ones.
 * https://developers.binance.com/docs/binance-spot-api-docs/errors#11xx---request-issues
 */
export function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') throw missingParameter(name);
  return value;
}

export function decimalParam(params: URLSearchParams, name: string): Decimal {
  const raw = required(params, name);
  if (!DECIMAL_STRING.test(raw) || raw.startsWith('-')) {
    throw new BinanceError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.`);
  }
  return new Decimal(raw);
}

export function integerParam(params: URLSearchParams, name: string, fallback?: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') {
    if (fallback !== undefined) return fallback;
    throw missingParameter(name);
  }
  if (!/^\d{1,15}$/.test(raw)) throw new BinanceError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'.`);
  return Number(raw);
}

/** `orderId` or `origClientOrderId` (the cancel/query pair), either required. */
export function orderRef(params: URLSearchParams, idName = 'orderId', clientIdName = 'origClientOrderId'): OrderRef {
  if (params.get(idName)) return { orderId: integerParam(params, idName) };
  const clientOrderId = params.get(clientIdName);
  if (clientOrderId) return { clientOrderId };
  throw new BinanceError(400, -1102, `Param '${clientIdName}' or '${idName}' must be sent, but both were empty/null!`);
}

const SIDES: readonly Side[] = ['BUY', 'SELL'];
const TYPES: readonly OrderType[] = ['LIMIT', 'MARKET', 'LIMIT_MAKER'];
const TIME_IN_FORCES: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];

/** A new order's parameters, as `POST /api/v3/order` takes them. */
export function newOrder(params: URLSearchParams, account: string, clientIdName = 'newClientOrderId'): OrderRequest {
  const symbol = required(params, 'symbol');
  const side = required(params, 'side') as Side;
  if (!SIDES.includes(side)) throw new BinanceError(400, -1117, 'Invalid side.');
  const type = required(params, 'type') as OrderType;
  if (!TYPES.includes(type)) throw new BinanceError(400, -1116, 'Invalid orderType.');
  if (type === 'MARKET' && !params.get('quantity') && params.get('quoteOrderQty')) {
    throw new BinanceError(400, -1013, 'quoteOrderQty is not supported by this simulated venue; send quantity.');
  }
  const request: OrderRequest = { account, symbol, side, type, quantity: decimalParam(params, 'quantity') };
  if (type === 'LIMIT') {
    const timeInForce = required(params, 'timeInForce') as TimeInForce;
    if (!TIME_IN_FORCES.includes(timeInForce)) throw new BinanceError(400, -1115, 'Invalid timeInForce.');
    request.timeInForce = timeInForce;
  }
  if (type !== 'MARKET') request.price = decimalParam(params, 'price');
  const clientOrderId = params.get(clientIdName);
  if (clientOrderId) {
    if (!/^[.A-Z:/a-z0-9_-]{1,36}$/.test(clientOrderId)) {
      throw new BinanceError(400, -1100, `Illegal characters found in parameter '${clientIdName}'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.`);
    }
    request.clientOrderId = clientOrderId;
  }
  return request;
}

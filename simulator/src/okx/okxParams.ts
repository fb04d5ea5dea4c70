import { DECIMAL_STRING, Decimal } from '@crossvenue/schemas';
import type { MatchingEngine } from '../engine/MatchingEngine.ts';
import type { OrderRef } from '../engine/OrderRegistry.ts';
import type { MarketRules, OrderRequest, TimeInForce } from '../engine/types.ts';
import { missingParameter, OkxError, parameterError } from './OkxError.ts';

/** One OKX request's parameters: the query of a GET, one object of a POST body. */
export type OkxParams = Record<string, unknown>;

/** A POST body: one JSON object, or an array of them (the batch endpoints). */
export function parseBody(body: string): OkxParams | OkxParams[] {
  if (body.trim() === '') throw new OkxError('50000', 'Body can not be empty.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new OkxError('50002', 'Json data format error.');
  }
  const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(parsed) || (Array.isArray(parsed) && parsed.length > 0 && parsed.every(isObject))) return parsed as OkxParams | OkxParams[];
  throw new OkxError('50002', 'Json data format error.');
}

export function text(params: OkxParams, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw missingParameter(name);
  if (typeof value !== 'string') throw parameterError(name);
  return value;
}

export function optionalText(params: OkxParams, name: string): string | undefined {
  return params[name] === undefined || params[name] === '' ? undefined : text(params, name);
}

/** OKX takes amounts as strings; a JSON number is refused (it may already have lost digits). */
export function decimal(params: OkxParams, name: string): Decimal {
  const value = text(params, name);
  if (!DECIMAL_STRING.test(value) || value.startsWith('-')) throw parameterError(name);
  return new Decimal(value);
}

/** A whole number from a query parameter within [min, max], or `fallback` when absent. */
export function integer(params: OkxParams, name: string, fallback: number, min: number, max: number): number {
  const value = optionalText(params, name);
  if (value === undefined) return fallback;
  if (!/^\d{1,15}$/.test(value) || Number(value) < min || Number(value) > max) throw parameterError(name);
  return Number(value);
}

/** An OKX instrument id, BTC-USDT, for the engine's market. */
export const instIdOf = (rules: MarketRules) => `${rules.baseAsset}-${rules.quoteAsset}`;

/** The engine symbol of an instrument id, BTC-USDT → BTCUSDT; 51001 for one the venue does not list. */
export function symbolOf(engine: MatchingEngine, instId: string): string {
  const rules = engine.markets().find((market) => instIdOf(market) === instId);
  if (!rules) throw new OkxError('51001', "Instrument ID doesn't exist.");
  return rules.symbol;
}

/** Only spot instruments are listed; any other instType is refused as OKX refuses an unknown one. */
export function spotOnly(params: OkxParams, required: boolean): void {
  const instType = required ? text(params, 'instType') : optionalText(params, 'instType');
  if (instType !== undefined && instType !== 'SPOT') throw parameterError('instType');
}

/** `ordId` (the venue's) or `clOrdId` (ours), one required; an unparsable ordId finds nothing. */
export function orderRef(params: OkxParams): OrderRef {
  const ordId = optionalText(params, 'ordId');
  if (ordId !== undefined) return { orderId: /^\d{1,15}$/.test(ordId) ? Number(ordId) : -1 };
  const clientOrderId = optionalText(params, 'clOrdId');
  if (clientOrderId !== undefined) return { clientOrderId };
  throw new OkxError('51003', 'Either client order ID or order ID is required.');
}

const TIME_IN_FORCE: Record<string, TimeInForce> = { limit: 'GTC', ioc: 'IOC', fok: 'FOK' };

/**
 * One order of `POST /api/v5/trade/order` (or of a batch) in spot cash mode: ordType market,
 * limit, post_only, ioc or fok, `clOrdId` 1-32 alphanumerics. A market order's `sz` must be in the
 * base currency (`tgtCcy: base_ccy`, which ccxt sends); OKX's default for a market buy, a size in
 * the quote currency, is not simulated and is refused.
 * https://www.okx.com/docs-v5/en/#order-book-trading-trade-post-place-order
 */
export function newOrder(engine: MatchingEngine, params: OkxParams, account: string): OrderRequest {
  const symbol = symbolOf(engine, text(params, 'instId'));
  const tdMode = text(params, 'tdMode');
  if (tdMode !== 'cash') throw parameterError('tdMode');
  const side = params.side === 'buy' ? 'BUY' : params.side === 'sell' ? 'SELL' : undefined;
  if (!side) throw parameterError('side');
  const ordType = text(params, 'ordType');
  const quantity = decimal(params, 'sz');
  const clientOrderId = optionalText(params, 'clOrdId');
  if (clientOrderId !== undefined && !/^[A-Za-z0-9]{1,32}$/.test(clientOrderId)) throw parameterError('clOrdId');
  const base = { account, symbol, side, quantity, ...(clientOrderId === undefined ? {} : { clientOrderId }) } as const;
  if (ordType === 'market') {
    const tgtCcy = optionalText(params, 'tgtCcy') ?? (side === 'BUY' ? 'quote_ccy' : 'base_ccy');
    if (tgtCcy !== 'base_ccy') throw new OkxError('51000', 'Parameter tgtCcy error: this simulated venue takes market orders sized in the base currency (tgtCcy base_ccy)');
    return { ...base, type: 'MARKET' };
  }
  const price = decimal(params, 'px');
  if (ordType === 'post_only') return { ...base, type: 'LIMIT_MAKER', price };
  const timeInForce = TIME_IN_FORCE[ordType];
  if (!timeInForce) throw parameterError('ordType');
  return { ...base, type: 'LIMIT', timeInForce, price };
}

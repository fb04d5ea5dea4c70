import type { OrderCommand } from '@crossvenue/schemas';
import type { OrderType } from 'ccxt';

/** ccxt createOrder arguments for a PLACE, or why this connector cannot send it. */
export type PlaceRequest =
  | { ok: true; type: OrderType; side: 'buy' | 'sell'; params: Record<string, unknown> }
  | { ok: false; reason: string };

/**
 * Unified ccxt params (https://docs.ccxt.com/#/README?id=placing-orders): ccxt turns
 * `clientOrderId` into Binance `newClientOrderId` / Bybit `orderLinkId`, and `timeInForce`,
 * `postOnly`, `reduceOnly` into each venue's fields. Conditional and iceberg orders are refused
 * here with a reason rather than sent half-understood.
 */
export function placeRequest(command: OrderCommand): PlaceRequest {
  if (command.orderType !== 'MARKET' && command.orderType !== 'LIMIT') return { ok: false, reason: `order type ${command.orderType} is not supported by the ccxt connector` };
  if (command.icebergQuantity !== null) return { ok: false, reason: 'iceberg orders are not supported by the ccxt connector' };
  if (command.timeInForce === 'DAY' || command.timeInForce === 'GTD') return { ok: false, reason: `time in force ${command.timeInForce} is not supported by the ccxt connector` };
  const params: Record<string, unknown> = { clientOrderId: command.clientOrderId };
  if (command.orderType === 'LIMIT' && command.timeInForce !== 'GTC') params.timeInForce = command.timeInForce;
  if (command.postOnly) params.postOnly = true;
  if (command.reduceOnly) params.reduceOnly = true;
  return { ok: true, type: command.orderType === 'MARKET' ? 'market' : 'limit', side: command.side === 'SELL' ? 'sell' : 'buy', params };
}

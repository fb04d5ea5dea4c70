import type { OrderCommand } from '@crossvenue/schemas';
import type { Exchange, OrderType } from 'ccxt';
import { precisionStep } from './ccxtValues.ts';
import { toContracts } from './contractUnits.ts';
import { errorMessage } from './failureKind.ts';
import type { VenueCapabilities } from './VenueCapabilities.ts';

/** ccxt createOrder arguments for a PLACE, or why this connector cannot send it. */
export type PlaceRequest =
  | { ok: true; type: OrderType; side: 'buy' | 'sell'; params: Record<string, unknown> }
  | { ok: false; reason: string };

/**
 * Unified ccxt params (https://docs.ccxt.com/#/README?id=placing-orders): ccxt turns
 * `clientOrderId` into each venue's field (Binance `newClientOrderId`, OKX `clOrdId`, Bybit
 * `orderLinkId`, Kraken `cl_ord_id`, Hyperliquid `c`), and `timeInForce`, `postOnly`,
 * `reduceOnly` into the venue's own. What the connector or the venue (its capability row) does
 * not do is refused here with a reason rather than sent half-understood.
 */
export function placeRequest(command: OrderCommand, capabilities: VenueCapabilities): PlaceRequest {
  const venue = capabilities.ccxtId;
  if (command.orderType !== 'MARKET' && command.orderType !== 'LIMIT') return { ok: false, reason: `order type ${command.orderType} is not supported by the ccxt connector` };
  if (command.icebergQuantity !== null) return { ok: false, reason: 'iceberg orders are not supported by the ccxt connector' };
  if (command.timeInForce === 'DAY' || command.timeInForce === 'GTD') return { ok: false, reason: `time in force ${command.timeInForce} is not supported by the ccxt connector` };
  if (command.orderType === 'LIMIT' && !capabilities.timeInForce.includes(command.timeInForce)) {
    return { ok: false, reason: `time in force ${command.timeInForce} is not offered by ${venue} (it takes ${capabilities.timeInForce.join(', ')})` };
  }
  if (command.postOnly && !capabilities.postOnly) return { ok: false, reason: `${venue} has no post-only orders` };
  const clientOrderId = capabilities.clientOrderIds.toVenue(command.clientOrderId);
  if (!capabilities.clientOrderIds.pattern.test(clientOrderId)) {
    return { ok: false, reason: `client order id "${clientOrderId}" does not fit ${venue}: ${capabilities.clientOrderIds.rule}` };
  }
  const params: Record<string, unknown> = { clientOrderId };
  if (command.orderType === 'LIMIT' && command.timeInForce !== 'GTC') params.timeInForce = command.timeInForce;
  if (command.postOnly) params.postOnly = true;
  // Where the venue has no reduce-only flag (spot everywhere, and venues without it), the risk
  // engine's reduce_only rule is what holds the order to the position: the intent is executed,
  // and the venue is not sent a flag it would refuse or misread.
  if (command.reduceOnly && venueReducesOnly(command.instrument, capabilities)) params.reduceOnly = true;
  return { ok: true, type: command.orderType === 'MARKET' ? 'market' : 'limit', side: command.side === 'SELL' ? 'sell' : 'buy', params };
}

/** A ccxt unified symbol names a settle currency (BTC/USDT:USDT) for derivatives only; spot has no venue position to reduce. */
function venueReducesOnly(instrument: string, capabilities: VenueCapabilities): boolean {
  return capabilities.reduceOnly && instrument.includes(':');
}

/**
 * The ccxt amount (a decimal string) for `quantity` of `instrument`, which is in the base asset as
 * every quantity inside Crossvenue: contracts for a linear contract (contractUnits.ts), exactly, or
 * why it cannot be sent (not a whole number of the venue's steps, an inverse contract, a market
 * ccxt does not list). Used for createOrder and editOrder alike.
 */
export function venueAmount(exchange: Pick<Exchange, 'market' | 'precisionMode'>, instrument: string, quantity: string): { ok: true; amount: string } | { ok: false; reason: string } {
  try {
    const market = exchange.market(instrument);
    return { ok: true, amount: toContracts(market, quantity, precisionStep(exchange, market.precision.amount)).toFixed() };
  } catch (error) {
    return { ok: false, reason: errorMessage(error) };
  }
}

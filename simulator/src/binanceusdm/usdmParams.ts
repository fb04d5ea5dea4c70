import { BinanceError } from '../binance/BinanceError.ts';
import { newOrder } from '../binance/binanceParams.ts';
import type { OrderRequest } from '../engine/types.ts';

/**
 * A new USD-M order's parameters (`POST /fapi/v1/order`): spot's, but LIMIT or MARKET only,
 * post-only written as timeInForce GTX, one-way mode (positionSide BOTH), and `reduceOnly`.
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/trade/rest-api
 */
export function usdmNewOrder(params: URLSearchParams, account: string): { request: OrderRequest; reduceOnly: boolean } {
  const type = params.get('type');
  if (type !== 'LIMIT' && type !== 'MARKET' && type) throw new BinanceError(400, -1116, 'Invalid orderType.');
  const positionSide = params.get('positionSide') ?? 'BOTH';
  if (positionSide !== 'BOTH') throw new BinanceError(400, -4061, "Order's position side does not match user's setting.");
  const postOnly = type === 'LIMIT' && params.get('timeInForce') === 'GTX';
  const spot = new URLSearchParams(params);
  if (postOnly) {
    spot.set('type', 'LIMIT_MAKER');
    spot.delete('timeInForce');
  }
  const reduceOnly = params.get('reduceOnly') ?? 'false';
  if (reduceOnly !== 'true' && reduceOnly !== 'false') throw new BinanceError(400, -1100, "Illegal characters found in parameter 'reduceOnly'; legal range is 'true, false'.");
  return { request: newOrder(spot, account), reduceOnly: reduceOnly === 'true' };
}

import { unchangedIds, type VenueCapabilities } from '../../ccxt/VenueCapabilities.ts';

// https://developers.binance.com/docs/binance-spot-api-docs/rest-api/trading-endpoints
// Limits: https://developers.binance.com/docs/binance-spot-api-docs/rest-api/limits
export const binanceCapabilities: VenueCapabilities = {
  ccxtId: 'binance',
  markets: 'spot',
  clientOrderIds: { rule: '1-36 of [.A-Z:/a-z0-9_-] (newClientOrderId)', pattern: /^[.A-Z:/a-z0-9_-]{1,36}$/, ...unchangedIds },
  byClientOrderId: { lookup: 'fetch-order', params: (id) => ({ origClientOrderId: id }) },
  // POST /api/v3/order/cancelReplace: the replacement is a new order; ccxt sends our id as its newClientOrderId.
  // order.cancelReplace would place a second venue order under the same client order id.
  amend: { kind: 'cancel-replace', reason: 'binance spot has no amend that keeps the order; the execution side cancels it and places a new leg' },
  postOnly: true,
  reduceOnly: false,
  timeInForce: ['GTC', 'IOC', 'FOK'],
  stopOrders: true,
  fees: 'fill',
  rateLimits: 'REQUEST_WEIGHT 6000 per minute per IP; ORDERS 100 per 10 s and 200 000 per day per account',
  rawStatusKeys: ['status', 'X'],
  tradeClientOrderIdKeys: ['c'],
};

// https://developers.binance.com/docs/derivatives/usds-margined-futures/trade/rest-api
// The spot row's ids, addressing, order options, fee source and payload keys; what differs below.
export const binanceUsdmCapabilities: VenueCapabilities = {
  ...binanceCapabilities,
  ccxtId: 'binanceusdm',
  markets: 'USD-M perpetuals and futures',
  // PUT /fapi/v1/order (limit orders only): the same order, addressed by origClientOrderId; it loses its queue place.
  amend: { kind: 'native', params: (id) => ({ clientOrderId: id }) },
  reduceOnly: true,
  // ccxt reads GET /fapi/v3/positionRisk, which dropped leverage and margin type; v2 has them (ccxt derives the initial margin from the leverage).
  positionParams: { useV2: true },
  rateLimits: 'REQUEST_WEIGHT 2400 per minute per IP; ORDERS 300 per 10 s and 1200 per minute per account',
};

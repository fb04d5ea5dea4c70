import { unchangedIds, type VenueCapabilities } from '../../ccxt/VenueCapabilities.ts';

// https://bybit-exchange.github.io/docs/v5/order/create-order, rate limits: https://bybit-exchange.github.io/docs/v5/rate-limit
export const bybitCapabilities: VenueCapabilities = {
  ccxtId: 'bybit',
  markets: 'spot and linear perpetuals',
  clientOrderIds: { rule: '1-36 of [A-Za-z0-9_-] (orderLinkId)', pattern: /^[A-Za-z0-9_-]{1,36}$/, ...unchangedIds },
  // https://bybit-exchange.github.io/docs/v5/order/open-order — realtime also lists recent closed
  // orders of a unified account; ccxt asks for `acknowledged` to say we know that.
  byClientOrderId: { lookup: 'fetch-order', params: (id) => ({ orderLinkId: id, acknowledged: true }) },
  // POST /v5/order/amend, addressed by orderLinkId.
  amend: { kind: 'native', params: (id) => ({ clientOrderId: id }) },
  postOnly: true,
  reduceOnly: true,
  timeInForce: ['GTC', 'IOC', 'FOK'],
  stopOrders: true,
  fees: 'fill',
  rateLimits: '600 requests per 5 s per IP; create, amend and cancel 10 per s (linear) or 20 per s (spot) per account at the default tier',
  rawStatusKeys: ['orderStatus'],
  tradeClientOrderIdKeys: ['orderLinkId'],
};

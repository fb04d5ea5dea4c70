import { unchangedIds, type VenueCapabilities } from '../../ccxt/VenueCapabilities.ts';

// https://docs.cdp.coinbase.com/advanced-trade/reference (create, edit, cancel, get order, list fills)
export const coinbaseCapabilities: VenueCapabilities = {
  ccxtId: 'coinbase',
  markets: 'spot (Advanced Trade)',
  clientOrderIds: { rule: 'any unique string (client_order_id; a UUID is suggested)', pattern: /^[A-Za-z0-9_-]{1,128}$/, ...unchangedIds },
  byClientOrderId: { lookup: 'none', reason: 'Coinbase Advanced Trade gets and cancels orders by its own order id only' },
  // POST /orders/edit changes price and size of a GTC limit order in place; it takes no client id.
  amend: { kind: 'native', params: () => ({}) },
  postOnly: true,
  // ccxt turns reduceOnly into a futures close-position call; spot has no reduce-only.
  reduceOnly: false,
  timeInForce: ['GTC', 'IOC', 'FOK'],
  stopOrders: true,
  // The user channel carries an order's running total_fees, not a fill's: fills come from GET /orders/historical/fills.
  fees: 'trade-history',
  rateLimits: 'private REST 30 requests per s per user; public REST 10 per s per IP',
  rawStatusKeys: ['status'],
  tradeClientOrderIdKeys: [],
};

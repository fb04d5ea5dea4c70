import type { VenueCapabilities } from '../../ccxt/VenueCapabilities.ts';

// https://developers.binance.com/docs/binance-spot-api-docs/rest-api/trading-endpoints#query-order-user_data
export const binanceCapabilities: VenueCapabilities = {
  byClientOrderId: (id) => ({ origClientOrderId: id }),
  rawStatusKeys: ['status', 'X'],
  tradeClientOrderIdKeys: ['c'],
};

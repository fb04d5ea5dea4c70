import type { VenueCapabilities } from '../../ccxt/VenueCapabilities.ts';

// https://bybit-exchange.github.io/docs/v5/order/open-order — realtime also lists recent closed
// orders of a unified account; ccxt asks for `acknowledged` to say we know that.
export const bybitCapabilities: VenueCapabilities = {
  byClientOrderId: (id) => ({ orderLinkId: id, acknowledged: true }),
  rawStatusKeys: ['orderStatus'],
  tradeClientOrderIdKeys: ['orderLinkId'],
};

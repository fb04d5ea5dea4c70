import type { VenueCapabilities } from '../../ccxt/VenueCapabilities.ts';

const CLOID_PREFIX = '0x';

// https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/exchange-endpoint
// Limits: https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/rate-limits-and-user-limits
export const hyperliquidCapabilities: VenueCapabilities = {
  ccxtId: 'hyperliquid',
  markets: 'perpetuals',
  // A cloid is 128 bits written as 0x and 32 hex digits: our id with the prefix.
  clientOrderIds: {
    rule: 'cloid: 0x and 32 hex digits (128 bits)',
    pattern: /^0x[0-9a-f]{32}$/,
    toVenue: (id) => `${CLOID_PREFIX}${id}`,
    fromVenue: (cloid) => (cloid.startsWith(CLOID_PREFIX) ? cloid.slice(CLOID_PREFIX.length) : cloid),
  },
  // The info orderStatus request and cancelByCloid take the cloid.
  byClientOrderId: { lookup: 'fetch-order', params: (cloid) => ({ clientOrderId: cloid }) },
  // One modify action; the modified order carries our cloid again.
  amend: { kind: 'native', params: (cloid) => ({ clientOrderId: cloid }) },
  postOnly: true,
  reduceOnly: true,
  // Its time in force is Gtc, Ioc or Alo (post-only): no fill-or-kill.
  timeInForce: ['GTC', 'IOC'],
  stopOrders: true,
  fees: 'fill',
  rateLimits: 'REST 1200 weight per minute per IP (an order action weighs 1); per address 1 request per 1 USDC traded beyond a 10 000 buffer',
  rawStatusKeys: ['status'],
  tradeClientOrderIdKeys: ['cloid'],
};

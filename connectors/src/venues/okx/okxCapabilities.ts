import { unchangedIds, type VenueCapabilities } from '../../ccxt/VenueCapabilities.ts';

// https://www.okx.com/docs-v5/en/#order-book-trading-trade (place, amend, cancel, get order details)
export const okxCapabilities: VenueCapabilities = {
  ccxtId: 'okx',
  markets: 'spot and swap',
  clientOrderIds: { rule: '1-32 case-sensitive alphanumerics (clOrdId)', pattern: /^[A-Za-z0-9]{1,32}$/, ...unchangedIds },
  // GET /api/v5/trade/order by clOrdId; a canceled order without fills is kept only 2 hours.
  byClientOrderId: { lookup: 'fetch-order', params: (id) => ({ clOrdId: id }) },
  // POST /api/v5/trade/amend-order, addressed by clOrdId: the same order.
  amend: { kind: 'native', params: (id) => ({ clOrdId: id }) },
  postOnly: true,
  reduceOnly: true,
  timeInForce: ['GTC', 'IOC', 'FOK'],
  stopOrders: true,
  fees: 'fill',
  rateLimits: 'place, amend and cancel 60 requests per 2 s per instrument per account; order details 60 per 2 s',
  rawStatusKeys: ['state'],
  tradeClientOrderIdKeys: ['clOrdId'],
  // OKX writes a charged fee negative: the orders push's fillFee (this fill; its `fee` is the
  // order's total) and the fills list's fee. ccxt 4.5 flips the list's sign but passes the push's
  // through, so the same fill would come with two signs (test/simulator/okx.ccxt.test.ts).
  rawFee: { keys: ['fillFee', 'fee'], charged: 'negative' },
};

import { unchangedIds, type VenueCapabilities } from '../../ccxt/VenueCapabilities.ts';

// https://docs.kraken.com/api/docs/guides/spot-clordid, https://docs.kraken.com/api/docs/rest-api/add-order
export const krakenCapabilities: VenueCapabilities = {
  ccxtId: 'kraken',
  markets: 'spot',
  // Our 32 hex digits are Kraken's short UUID form.
  clientOrderIds: {
    rule: 'cl_ord_id: a UUID (36 characters with hyphens), a short UUID (32 hex digits) or free text of up to 18 characters',
    pattern: /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32}|[!-~]{1,18})$/,
    ...unchangedIds,
  },
  // QueryOrders takes Kraken's txids only; OpenOrders, ClosedOrders and CancelOrder take cl_ord_id.
  byClientOrderId: { lookup: 'order-lists', params: (id) => ({ clientOrderId: id }) },
  // POST /0/private/AmendOrder, addressed by cl_ord_id: the same order (a reduced quantity keeps its queue place).
  amend: { kind: 'native', params: (id) => ({ clientOrderId: id }) },
  postOnly: true,
  // Kraken's reduce_only is for margin positions; this row trades spot.
  reduceOnly: false,
  // AddOrder's timeinforce is GTC, IOC or GTD: no fill-or-kill.
  timeInForce: ['GTC', 'IOC'],
  stopOrders: true,
  fees: 'fill',
  rateLimits: 'REST counter of 15-20 (by tier) decaying 0.33-1 per s, +1 per call, +2 for trade history; per-pair trading counter of 60-180',
  rawStatusKeys: ['status', 'order_status'],
  tradeClientOrderIdKeys: ['cl_ord_id'],
};

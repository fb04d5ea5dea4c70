/**
 * What differs between venues in the ccxt calls the connector makes, as data (one row per ccxt
 * id), not as subclasses. ccxt maps `clientOrderId` on create (Binance `newClientOrderId`, Bybit
 * `orderLinkId`), but lookups and cancels by client order id need the venue's own parameter.
 */
export interface VenueCapabilities {
  /** Params that make fetchOrder/cancelOrder address an order by our client order id. */
  byClientOrderId(clientOrderId: string): Record<string, string | boolean>;
  /** Where the venue writes its own order status in the raw payload ccxt keeps in `info`. */
  rawStatusKeys: readonly string[];
  /** Where the venue writes the client order id of a trade in `info` (Binance myTrades has none). */
  tradeClientOrderIdKeys: readonly string[];
}

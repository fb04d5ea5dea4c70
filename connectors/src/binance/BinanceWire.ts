/**
 * Binance spot REST payloads as the venue sends them (prices and quantities are decimal strings).
 * https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#order-book
 */
export interface BinanceDepthSnapshot {
  lastUpdateId: number;
  bids: Array<[price: string, quantity: string]>;
  asks: Array<[price: string, quantity: string]>;
}

/** The part of `GET /api/v3/exchangeInfo` a connector needs to name instruments. */
export interface BinanceExchangeInfo {
  symbols: Array<{ symbol: string; status: string; baseAsset: string; quoteAsset: string }>;
}

import type { CcxtAtUrls } from '../../ccxt/CcxtAtUrls.ts';

/**
 * ccxt's binance class pointed at a venue that speaks Binance spot at its own URLs (a simulated
 * venue): REST /api/v3, the streams and the WebSocket API. Skipped at load: the sapi currency
 * list, margin pairs and the futures exchangeInfo, which a spot venue does not serve.
 */
export const binanceAtUrls: CcxtAtUrls = (rest, ws) => ({
  urls: { api: { public: `${rest}/api/v3`, private: `${rest}/api/v3`, v3: `${rest}/api/v3`, ws: { spot: `${ws}/ws`, 'ws-api': { spot: `${ws}/ws-api/v3` } } } },
  options: { defaultType: 'spot', fetchCurrencies: false, fetchMargins: false, fetchMarkets: { types: ['spot'] } },
});

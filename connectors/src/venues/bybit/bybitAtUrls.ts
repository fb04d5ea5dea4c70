import type { CcxtAtUrls } from '../../ccxt/CcxtAtUrls.ts';

/**
 * ccxt's bybit class pointed at a venue that speaks Bybit v5 at its own URLs (a simulated venue).
 * Skipped: the account-kind probes (/v5/user/query-api, /v5/account/info) — the venue is a
 * unified (UTA 2.0) spot account — and the derivative instrument lists.
 */
export const bybitAtUrls: CcxtAtUrls = (rest, ws) => ({
  urls: {
    api: {
      public: rest,
      private: rest,
      ws: { public: { spot: `${ws}/v5/public/spot` }, private: { contract: `${ws}/v5/private`, spot: { unified: `${ws}/v5/private` } } },
    },
  },
  options: {
    defaultType: 'spot',
    fetchMarkets: { types: ['spot'] },
    enableUnifiedMargin: false,
    enableUnifiedAccount: true,
    unifiedMarginStatus: 6,
  },
});

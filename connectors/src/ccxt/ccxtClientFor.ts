import { Agent } from 'node:http';
import ccxt, { type Exchange } from 'ccxt';
import { observeWsFutures } from './observeWsFutures.ts';
import type { VenueCredentials } from './venueCredentials.ts';

/**
 * A venue that speaks Binance spot or Bybit v5 at URLs of its own (a simulated venue): what
 * `crossvenue sim --json` prints for each venue, and what a SimulatedVenue's endpoints hold.
 */
export interface VenueAddress {
  dialect: 'binance' | 'bybit';
  restUrl: string;
  wsUrl: string;
  accounts: readonly VenueCredentials[];
}

export interface CcxtClientOptions {
  /** Which of the venue's accounts trades; the first when absent. */
  account?: VenueCredentials;
  /** ccxt's request timeout, ms. */
  timeout?: number;
}

/**
 * The real ccxt pro class for a simulated venue (a pro instance does REST too), with every URL
 * pointed at it and the load-time calls a spot venue does not serve switched off. One place, so
 * tests and connectors point ccxt at a venue of their own the same way.
 */
export function ccxtClientFor(venue: VenueAddress, options: CcxtClientOptions = {}): Exchange {
  const account = options.account ?? venue.accounts[0];
  const common = {
    ...(account ? { apiKey: account.apiKey, secret: account.secret } : {}),
    timeout: options.timeout ?? 10_000,
    enableRateLimit: false,
    // ccxt needs a plain HTTP agent before it opens a ws:// (non-TLS) connection.
    httpAgent: new Agent({ keepAlive: true }),
  };
  const rest = venue.restUrl;
  const ws = venue.wsUrl;
  if (venue.dialect === 'binance') {
    return observeWsFutures(new ccxt.pro.binance({
      ...common,
      urls: { api: { public: `${rest}/api/v3`, private: `${rest}/api/v3`, v3: `${rest}/api/v3`, ws: { spot: `${ws}/ws`, 'ws-api': { spot: `${ws}/ws-api/v3` } } } },
      // Skipped at load: the sapi currency list, margin pairs and the futures exchangeInfo.
      options: { defaultType: 'spot', fetchCurrencies: false, fetchMargins: false, fetchMarkets: { types: ['spot'] } },
    }));
  }
  return observeWsFutures(new ccxt.pro.bybit({
    ...common,
    urls: {
      api: {
        public: rest,
        private: rest,
        ws: { public: { spot: `${ws}/v5/public/spot` }, private: { contract: `${ws}/v5/private`, spot: { unified: `${ws}/v5/private` } } },
      },
    },
    // Skipped: the account-kind probes (/v5/user/query-api, /v5/account/info) — the venue is a
    // unified (UTA 2.0) spot account — and the derivative instrument lists.
    options: {
      defaultType: 'spot',
      fetchMarkets: { types: ['spot'] },
      enableUnifiedMargin: false,
      enableUnifiedAccount: true,
      unifiedMarginStatus: 6,
    },
  }));
}

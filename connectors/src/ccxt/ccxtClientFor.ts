import { Agent } from 'node:http';
import ccxt, { type Exchange } from 'ccxt';
import { observeWsFutures } from './observeWsFutures.ts';
import type { VenueCredentials } from './venueCredentials.ts';
import { binanceAtUrls } from '../venues/binance/binanceAtUrls.ts';
import { binanceUsdmAtUrls } from '../venues/binance/binanceUsdmAtUrls.ts';
import { bybitAtUrls } from '../venues/bybit/bybitAtUrls.ts';
import { okxAtUrls } from '../venues/okx/okxAtUrls.ts';
import type { CcxtAtUrls } from './CcxtAtUrls.ts';

/** The venue dialects a simulated venue speaks, and how ccxt's class of each is pointed at it. */
const AT_URLS = { binance: binanceAtUrls, binanceusdm: binanceUsdmAtUrls, bybit: bybitAtUrls, okx: okxAtUrls } satisfies Record<string, CcxtAtUrls>;
export type SimulatedDialect = keyof typeof AT_URLS;

/** The dialects, for messages. */
export const SIMULATED_DIALECTS = Object.keys(AT_URLS) as SimulatedDialect[];

export const isSimulatedDialect = (ccxtId: string): ccxtId is SimulatedDialect => Object.hasOwn(AT_URLS, ccxtId);

/**
 * A venue that speaks Binance spot, Binance USD-M, Bybit v5 or OKX v5 at URLs of its own (a simulated venue):
 * what `crossvenue sim --json` prints for each venue, and what a SimulatedVenue's endpoints hold.
 */
export interface VenueAddress {
  dialect: SimulatedDialect;
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
 * pointed at it and the load-time calls the venue does not serve switched off. One place, so
 * tests and connectors point ccxt at a venue of their own the same way.
 */
export function ccxtClientFor(venue: VenueAddress, options: CcxtClientOptions = {}): Exchange {
  const account = options.account ?? venue.accounts[0];
  const common = {
    ...(account ? { apiKey: account.apiKey, secret: account.secret } : {}),
    // OKX signs with the key's passphrase too (ccxt's `password`).
    ...(account?.passphrase ? { password: account.passphrase } : {}),
    timeout: options.timeout ?? 10_000,
    enableRateLimit: false,
    // ccxt needs a plain HTTP agent before it opens a ws:// (non-TLS) connection.
    httpAgent: new Agent({ keepAlive: true }),
  };
  const ProClass = ccxt.pro[venue.dialect];
  return observeWsFutures(new ProClass({ ...common, ...AT_URLS[venue.dialect](venue.restUrl, venue.wsUrl) }));
}

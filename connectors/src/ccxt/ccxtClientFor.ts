import { Agent } from 'node:http';
import ccxt, { type Exchange } from 'ccxt';
import { observeWsFutures } from './observeWsFutures.ts';
import type { VenueCredentials } from './venueCredentials.ts';
import { binanceAtUrls } from '../venues/binance/binanceAtUrls.ts';
import { bybitAtUrls } from '../venues/bybit/bybitAtUrls.ts';

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
  const pointAt = venue.dialect === 'binance' ? binanceAtUrls : bybitAtUrls;
  const ProClass = ccxt.pro[venue.dialect];
  return observeWsFutures(new ProClass({ ...common, ...pointAt(venue.restUrl, venue.wsUrl) }));
}

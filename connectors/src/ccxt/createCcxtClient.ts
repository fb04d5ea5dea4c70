import ccxt, { type Exchange } from 'ccxt';
import { ccxtClientFor } from './ccxtClientFor.ts';
import { observeWsFutures } from './observeWsFutures.ts';
import type { VenueCredentials } from './venueCredentials.ts';

export interface CcxtClientSettings {
  /** The ccxt id: binance, bybit. */
  ccxtId: string;
  account: string;
  credentials: VenueCredentials;
  /** REST and WebSocket base URLs of a simulated venue (both or neither); absent for the live venue. */
  simulated?: { restUrl: string; wsUrl: string };
}

/**
 * The ccxt pro client of one venue account. A simulated venue is reached through ccxtClientFor, the
 * one place its URLs and load options live; a live venue with ccxt's own URLs. Both are rate
 * limited by ccxt (`enableRateLimit`, the venue's published request weights).
 */
export function createCcxtClient(settings: CcxtClientSettings): Exchange {
  const { ccxtId, credentials, simulated } = settings;
  if (simulated) {
    if (ccxtId !== 'binance' && ccxtId !== 'bybit') throw new Error(`VENUE_ID: simulated venues speak binance or bybit, got "${ccxtId}"`);
    const client = ccxtClientFor({ dialect: ccxtId, restUrl: simulated.restUrl, wsUrl: simulated.wsUrl, accounts: [credentials] });
    client.enableRateLimit = true;
    return client;
  }
  const ProClass = (ccxt.pro as unknown as Record<string, new (config: object) => Exchange>)[ccxtId];
  if (!ProClass) throw new Error(`VENUE_ID: "${ccxtId}" is not a ccxt pro exchange`);
  return observeWsFutures(new ProClass({ apiKey: credentials.apiKey, secret: credentials.secret, enableRateLimit: true }));
}

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
  /** The venue's testnet, through ccxt's sandbox mode (its `urls.test`). Never with `simulated`. */
  sandbox?: boolean;
}

/** Which part of a venue's settings is wrong: the ccxt id or the sandbox flag. */
export interface CcxtVenueProblem {
  on: 'ccxtId' | 'sandbox';
  reason: string;
}

/** The credentials the connector signs with; a venue that needs more (OKX's passphrase) cannot trade through it yet. */
const TAKEN_CREDENTIALS = new Set(['apiKey', 'secret']);

type ExchangeClass = new (config?: object) => Exchange;

/**
 * Why a ccxt venue cannot run as set, or undefined. One rule for the connector at start and for
 * `crossvenue config check`, so a config that passes the check does not fail here.
 */
export function ccxtVenueProblem(venue: { ccxtId: string; sandbox?: boolean; simulated?: boolean }): CcxtVenueProblem | undefined {
  const { ccxtId, sandbox = false, simulated = false } = venue;
  if (simulated && sandbox) return { on: 'sandbox', reason: 'a sandbox (testnet) venue cannot also be a simulated venue at URLs of its own' };
  if (simulated) return ccxtId === 'binance' || ccxtId === 'bybit' ? undefined : { on: 'ccxtId', reason: `simulated venues speak binance or bybit, got "${ccxtId}"` };
  const ProClass = (ccxt.pro as unknown as Record<string, ExchangeClass | undefined>)[ccxtId];
  if (!ProClass) return { on: 'ccxtId', reason: `"${ccxtId}" is not a ccxt pro exchange` };
  const exchange = new ProClass();
  const missing = Object.entries(exchange.requiredCredentials).filter(([name, required]) => required && !TAKEN_CREDENTIALS.has(name)).map(([name]) => name);
  if (missing.length > 0) return { on: 'ccxtId', reason: `${ccxtId} needs a ${missing.join(' and ')} credential too (ccxt's "password" is the API passphrase), which the connector does not take yet (issue 17)` };
  // Some ccxt classes declare `urls.test` undefined, and setSandboxMode would then point the client nowhere.
  if (sandbox && !exchange.urls.test) return { on: 'sandbox', reason: `ccxt has no sandbox (testnet) URLs for ${ccxtId}` };
  return undefined;
}

/**
 * The ccxt pro client of one venue account. A simulated venue is reached through ccxtClientFor, the
 * one place its URLs and load options live; a live venue with ccxt's own URLs, or its testnet's in
 * sandbox mode. Both are rate limited by ccxt (`enableRateLimit`, the venue's published request weights).
 */
export function createCcxtClient(settings: CcxtClientSettings): Exchange {
  const { ccxtId, credentials, simulated, sandbox = false } = settings;
  const problem = ccxtVenueProblem({ ccxtId, sandbox, simulated: simulated !== undefined });
  if (problem) throw new Error(`${problem.on === 'ccxtId' ? 'VENUE_ID' : 'VENUE_SANDBOX'}: ${problem.reason}`);
  if (simulated) {
    const client = ccxtClientFor({ dialect: ccxtId as 'binance' | 'bybit', restUrl: simulated.restUrl, wsUrl: simulated.wsUrl, accounts: [credentials] });
    client.enableRateLimit = true;
    return client;
  }
  const ProClass = (ccxt.pro as unknown as Record<string, ExchangeClass>)[ccxtId]!;
  const exchange = new ProClass({ apiKey: credentials.apiKey, secret: credentials.secret, enableRateLimit: true });
  if (sandbox) exchange.setSandboxMode(true);
  return observeWsFutures(exchange);
}

import ccxt, { type Exchange } from 'ccxt';
import { ccxtClientFor, isSimulatedDialect, SIMULATED_DIALECTS } from './ccxtClientFor.ts';
import { observeWsFutures } from './observeWsFutures.ts';
import { CREDENTIAL_FIELDS, CREDENTIALS, missingCredentials, type CredentialField, type VenueCredentials } from './venueCredentials.ts';
import { CAPABILITY_ROWS } from '../venues/capabilitiesOf.ts';

export interface CcxtClientSettings {
  /** The ccxt id: one with a capability row (../venues/capabilitiesOf.ts). */
  ccxtId: string;
  account: string;
  credentials: VenueCredentials;
  /** REST and WebSocket base URLs of a simulated venue (both or neither); absent for the live venue. */
  simulated?: { restUrl: string; wsUrl: string };
  /** The venue's testnet, through ccxt's sandbox mode (its `urls.test`); refused where ccxt has none. Never with `simulated`. */
  sandbox?: boolean;
}

/** Which part of a venue's settings is wrong: the ccxt id or the sandbox flag. */
export interface CcxtVenueProblem {
  on: 'ccxtId' | 'sandbox';
  reason: string;
}

type ExchangeClass = new (config?: object) => Exchange;

/** The ccxt pro class of a ccxt id, or undefined. */
function proClass(ccxtId: string): ExchangeClass | undefined {
  return (ccxt.pro as unknown as Record<string, ExchangeClass | undefined>)[ccxtId];
}

/**
 * The credentials the venue's ccxt class signs with (its `requiredCredentials`), by our names,
 * and those among them the connector has no setting for.
 */
function credentialsOf(exchange: Exchange): { needed: CredentialField[]; unknown: string[] } {
  const required = Object.entries(exchange.requiredCredentials).filter(([, isRequired]) => isRequired).map(([name]) => name);
  const taken = new Set<string>(CREDENTIAL_FIELDS.map((field) => CREDENTIALS[field].ccxt));
  return { needed: CREDENTIAL_FIELDS.filter((field) => required.includes(CREDENTIALS[field].ccxt)), unknown: required.filter((name) => !taken.has(name)) };
}

/** The credential fields a ccxt venue needs (config planning and checks); empty for an unknown id. */
export function neededCredentials(ccxtId: string): CredentialField[] {
  const ProClass = proClass(ccxtId);
  return ProClass ? credentialsOf(new ProClass()).needed : [];
}

/**
 * Why a ccxt venue cannot run as set, or undefined. One rule for the connector at start and for
 * `crossvenue config check`, so a config that passes the check does not fail here.
 */
export function ccxtVenueProblem(venue: { ccxtId: string; sandbox?: boolean; simulated?: boolean }): CcxtVenueProblem | undefined {
  const { ccxtId, sandbox = false, simulated = false } = venue;
  if (simulated && sandbox) return { on: 'sandbox', reason: 'a sandbox (testnet) venue cannot also be a simulated venue at URLs of its own' };
  if (simulated) return isSimulatedDialect(ccxtId) ? undefined : { on: 'ccxtId', reason: `simulated venues speak ${SIMULATED_DIALECTS.slice(0, -1).join(', ')} or ${SIMULATED_DIALECTS.at(-1)}, got "${ccxtId}"` };
  const ProClass = proClass(ccxtId);
  if (!ProClass) return { on: 'ccxtId', reason: `"${ccxtId}" is not a ccxt pro exchange` };
  if (!CAPABILITY_ROWS.some((row) => row.ccxtId === ccxtId)) {
    return { on: 'ccxtId', reason: `the ccxt connector trades on ${CAPABILITY_ROWS.map((row) => row.ccxtId).join(', ')}, not "${ccxtId}" (no capability row)` };
  }
  const exchange = new ProClass();
  const { unknown } = credentialsOf(exchange);
  if (unknown.length > 0) return { on: 'ccxtId', reason: `${ccxtId} needs a ${unknown.join(' and ')} credential, which the connector does not take` };
  // Some ccxt classes declare `urls.test` undefined, and setSandboxMode would then point the client nowhere.
  if (sandbox && !exchange.urls.test) return { on: 'sandbox', reason: `ccxt has no sandbox (testnet) URLs for ${ccxtId}` };
  return undefined;
}

/** Why an account of this ccxt id cannot have its leverage set (AccountLeverage), or undefined when its class has setLeverage. */
export function ccxtLeverageProblem(ccxtId: string): string | undefined {
  const ProClass = proClass(ccxtId);
  if (!ProClass) return `"${ccxtId}" is not a ccxt pro exchange`;
  return new ProClass().has.setLeverage ? undefined : `ccxt ${ccxtId} has no setLeverage, so the connector cannot set the account's leverage`;
}

/** The one-line error for credentials the venue needs and the account lacks, naming the first missing setting. */
function credentialsError(ccxtId: string, account: string, missing: readonly CredentialField[]): Error {
  const named = missing.map((field) => `${CREDENTIALS[field].label} (${CREDENTIALS[field].env}, or "${field}" in its venueCredentials entry)`);
  return new Error(`${CREDENTIALS[missing[0]!].env}: ${ccxtId} account "${account}" needs its ${named.join(' and ')}`);
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
  const missing = missingCredentials(neededCredentials(ccxtId), credentials);
  if (missing.length > 0) throw credentialsError(ccxtId, settings.account, missing);
  if (simulated && isSimulatedDialect(ccxtId)) {
    const client = ccxtClientFor({ dialect: ccxtId, restUrl: simulated.restUrl, wsUrl: simulated.wsUrl, accounts: [credentials] });
    client.enableRateLimit = true;
    return client;
  }
  const ProClass = proClass(ccxtId)!;
  const signing = Object.fromEntries(Object.entries(credentials).map(([field, value]) => [CREDENTIALS[field as CredentialField].ccxt, value]));
  const exchange = new ProClass({ ...signing, enableRateLimit: true });
  if (sandbox) exchange.setSandboxMode(true);
  return observeWsFutures(exchange);
}

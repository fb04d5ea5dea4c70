import { createHash } from 'node:crypto';
import { InvalidInputError } from './errors.ts';

declare const brand: unique symbol;
/** A string that has been validated as one kind of id; only the constructors below make one. */
export type Brand<K extends string> = string & { readonly [brand]: K };

export type VenueId = Brand<'VenueId'>;
export type AccountId = Brand<'AccountId'>;
export type PortfolioId = Brand<'PortfolioId'>;
export type IntentId = Brand<'IntentId'>;
export type ClientOrderId = Brand<'ClientOrderId'>;

function checked<K extends string>(raw: unknown, pattern: RegExp, what: string, rule: string): Brand<K> {
  if (typeof raw === 'string' && pattern.test(raw)) return raw as Brand<K>;
  throw new InvalidInputError(`invalid ${what} ${JSON.stringify(raw) ?? String(raw)}: ${rule}`);
}

/** Venue ids are ccxt exchange ids: binance, binanceusdm, okx. */
export function parseVenueId(raw: unknown): VenueId {
  return checked(raw, /^[a-z][a-z0-9_-]{0,31}$/, 'venue id', 'use 1-32 lowercase letters, digits, "_" or "-", starting with a letter');
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const NAME_RULE = 'use 1-64 letters, digits, "_", "." or "-", starting with a letter or digit';

export function parseAccountId(raw: unknown): AccountId {
  return checked(raw, NAME, 'account id', NAME_RULE);
}

export function parsePortfolioId(raw: unknown): PortfolioId {
  return checked(raw, NAME, 'portfolio id', NAME_RULE);
}

/** Intent ids come from callers (UUIDs, ULIDs, strategy-made names); they are hashed into order ids. */
export function parseIntentId(raw: unknown): IntentId {
  return checked(
    raw,
    /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/,
    'intent id',
    'use 1-128 letters, digits, "_", ".", ":" or "-", starting with a letter or digit',
  );
}

/**
 * A client order id as a venue reports it, ours or not (an order placed in the venue's web UI).
 * 1-36 of [A-Za-z0-9_-] is what Binance and Bybit accept, and covers OKX, Kraken and Hyperliquid ids.
 */
export function parseClientOrderId(raw: unknown): ClientOrderId {
  return checked(raw, /^[A-Za-z0-9_-]{1,36}$/, 'client order id', 'use 1-36 letters, digits, "_" or "-"');
}

const MAX_LEG_OR_ATTEMPT = 0xfff;

/**
 * The client order id of one attempt of one leg of an intent: the same inputs always give the same
 * id, so a retried submit can never create a second order, and the venue can be asked about an
 * order it never acknowledged.
 *
 * Intent ids are free-form and can be long (a UUID is 36 characters), but venues limit client ids:
 * Binance to 36 of [A-Za-z0-9_-], OKX to 32 alphanumerics, Kraken to 32 hex digits (its short
 * UUID form), Hyperliquid to 128 bits in hex. So the id is 32 lowercase hex digits, which every one
 * of them accepts: 26 digits (104 bits) of SHA-256 of the intent id, then the leg and the attempt as
 * 3 hex digits each, readable at the end of the id. Collisions need ~2^52 intents.
 */
export function clientOrderId(intent: IntentId, leg: number, attempt: number): ClientOrderId {
  for (const [name, value] of [['leg', leg], ['attempt', attempt]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > MAX_LEG_OR_ATTEMPT) {
      throw new InvalidInputError(`${name} must be an integer from 0 to ${MAX_LEG_OR_ATTEMPT}, got ${value}`);
    }
  }
  const digest = createHash('sha256').update(intent, 'utf8').digest('hex').slice(0, 26);
  return `${digest}${hex3(leg)}${hex3(attempt)}` as ClientOrderId;
}

function hex3(value: number): string {
  return value.toString(16).padStart(3, '0');
}

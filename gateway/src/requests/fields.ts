import {
  InvalidInputError,
  MAX_EPOCH_MS,
  parseAccountId,
  parseDecimal,
  parseIntentId,
  parsePortfolioId,
  parseVenueId,
  validateSymbol,
  whyNotExecuted,
  type Decimal,
  type Intent,
} from '@crossvenue/schemas';
import { invalid, notExecuted } from '../http/HttpError.ts';

type Body = Record<string, unknown>;

/** Runs a domain parser on one field; its error becomes a 400 that names the field. */
export function field<T>(body: Body, name: string, parse: (raw: unknown) => T): T {
  try {
    return parse(body[name]);
  } catch (error) {
    if (error instanceof InvalidInputError) throw invalid(name, error.message.replace(new RegExp(`^${name}: `), ''));
    throw error;
  }
}

export const present = (body: Body, name: string) => body[name] !== undefined && body[name] !== null;

export function required(body: Body, name: string): void {
  if (!present(body, name)) throw invalid(name, 'is required');
}

export const portfolioField = (body: Body) => (required(body, 'portfolio'), field(body, 'portfolio', parsePortfolioId) as string);
export const instrumentField = (body: Body) => (required(body, 'instrument'), field(body, 'instrument', validateSymbol) as string);
export const intentIdField = (body: Body) => (required(body, 'intentId'), field(body, 'intentId', parseIntentId) as string);
export const optionalAccount = (body: Body) => (present(body, 'account') ? (field(body, 'account', parseAccountId) as string) : null);

export function positiveDecimal(body: Body, name: string, options: { optional: true }): Decimal | null;
export function positiveDecimal(body: Body, name: string): Decimal;
export function positiveDecimal(body: Body, name: string, options?: { optional: true }): Decimal | null {
  if (!present(body, name)) {
    if (options?.optional) return null;
    throw invalid(name, 'is required');
  }
  const value = field(body, name, (raw) => parseDecimal(raw, name));
  if (!value.isPositive() || value.isZero()) throw invalid(name, `must be greater than zero, got "${body[name]}"`);
  return value;
}

export function oneOf<T extends string>(body: Body, name: string, allowed: readonly T[], fallback?: T): T {
  const raw = body[name];
  // Omitted takes the default. A null is refused rather than read as the default: the document
  // offers only the values (and the gateway's unit tests read its enums as strings).
  if (raw === undefined && fallback !== undefined) return fallback;
  if (raw === undefined || (raw === null && fallback === undefined)) throw invalid(name, `is required (${allowed.join(', ')})`);
  const value = typeof raw === 'string' ? raw.toUpperCase() : raw;
  if (!allowed.includes(value as T)) throw invalid(name, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
  return value as T;
}

export function optionalBoolean(body: Body, name: string): boolean {
  const raw = body[name];
  if (raw === undefined || raw === null) return false;
  if (typeof raw !== 'boolean') throw invalid(name, `must be true or false, got ${JSON.stringify(raw)}`);
  return raw;
}

export function optionalEpochMs(body: Body, name: string): number | null {
  const raw = body[name];
  if (raw === undefined || raw === null) return null;
  if (!Number.isSafeInteger(raw) || (raw as number) <= 0 || (raw as number) > MAX_EPOCH_MS) {
    throw invalid(name, `must be epoch milliseconds up to ${MAX_EPOCH_MS} (year 9999), got ${JSON.stringify(raw)}`);
  }
  return raw as number;
}

export function venueList(body: Body): string[] {
  const raw = body.venues;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalid('venues', 'must be an array of venue ids');
  return raw.map((venue, i) => field({ [`venues[${i}]`]: venue }, `venues[${i}]`, parseVenueId) as string);
}

/**
 * A 422 for what the execution path would refuse (whyNotExecuted, the rule it applies itself), so
 * that no such intent is answered 202 and then dead-lettered. The API spreads the intent's order
 * over the request body, so the intent's `order.amountType` is the request's `amountType`.
 */
export function refuseNotExecuted(intent: Pick<Intent, 'kind' | 'order'> & Partial<Pick<Intent, 'algo'>>): void {
  const refusal = whyNotExecuted(intent);
  if (refusal) throw notExecuted(refusal.field.replace(/^order\./, ''), refusal.reason);
}

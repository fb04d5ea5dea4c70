import { DECIMAL_STRING, Decimal, InvalidInputError } from '@crossvenue/schemas';

/**
 * Limits of one scope. In the portfolio set a limit applies to the whole portfolio (every account
 * and venue together); in an account set, to that account alone. An absent limit is not checked.
 * Quantities are in the base asset, a linear contract's too whatever its contract size (the
 * connector converts to contracts at the venue edge, connectors/src/ccxt/contractUnits.ts); the
 * router sends no order on an inverse contract (router/contractSize.ts). So quantity x price is
 * the notional. Notional, exposure and drawdown are in `RiskLimits.currency`
 * and are the position's full value whatever the leverage: leverage changes the margin the venue
 * holds, not the exposure these limits bound (the venue's margin and liquidation price are shown on
 * the position, not checked here).
 */
export interface LimitSet {
  maxOrderNotional?: Decimal;
  minOrderQuantity?: Decimal;
  maxOrderQuantity?: Decimal;
  /** Largest absolute position in one instrument, counting open orders as if they filled. */
  maxPositionPerInstrument?: Decimal;
  /** Largest absolute position in one base asset across instruments and venues, open orders counted. */
  maxPositionPerUnderlying?: Decimal;
  maxGrossExposure?: Decimal;
  maxNetExposure?: Decimal;
  /** Fat-finger band: largest |limit price - mid| / mid, e.g. 0.05. */
  priceBand?: Decimal;
  /** A loss (positive number): below -maxDrawdown of realized + unrealized - fees, only risk-reducing orders pass. */
  maxDrawdown?: Decimal;
  /** Orders (PLACE and AMEND) within the sliding window. */
  maxOrdersPerWindow?: number;
}

export interface RiskLimits {
  currency: string;
  rateWindowMs: number;
  maxOrdersPerVenuePerWindow?: number;
  portfolio: LimitSet;
  /** Keyed by "venue|account". */
  accounts: Map<string, LimitSet>;
}

const DECIMAL_LIMITS = [
  'maxOrderNotional',
  'minOrderQuantity',
  'maxOrderQuantity',
  'maxPositionPerInstrument',
  'maxPositionPerUnderlying',
  'maxGrossExposure',
  'maxNetExposure',
  'priceBand',
  'maxDrawdown',
] as const;
const LIMIT_NAMES = new Set<string>([...DECIMAL_LIMITS, 'maxOrdersPerWindow']);

/**
 * Parses the risk configuration (JSON: decimal strings for amounts, integers for counts and
 * milliseconds) once at start. Any mistake is one line naming the path, e.g.
 * `risk limits: accounts["binance|main"].maxOrderNotional: "1e6" is not a decimal string`.
 */
export function parseRiskLimits(raw: unknown): RiskLimits {
  const root = object(raw, 'risk limits');
  known(root, new Set(['currency', 'rateWindowMs', 'maxOrdersPerVenuePerWindow', 'portfolio', 'accounts']), 'risk limits');
  if (typeof root.currency !== 'string' || !/^[A-Z0-9]{2,12}$/.test(root.currency)) {
    throw new InvalidInputError(`risk limits: currency ${JSON.stringify(root.currency) ?? 'missing'} is not a currency code such as USDT`);
  }
  const accounts = new Map<string, LimitSet>();
  for (const [key, set] of Object.entries(object(root.accounts ?? {}, 'risk limits: accounts'))) {
    if (!/^[^|]+\|[^|]+$/.test(key)) throw new InvalidInputError(`risk limits: accounts key ${JSON.stringify(key)} is not "venue|account"`);
    accounts.set(key, limitSet(set, `accounts[${JSON.stringify(key)}]`));
  }
  const venueRate = root.maxOrdersPerVenuePerWindow;
  return {
    currency: root.currency,
    rateWindowMs: positiveInteger(root.rateWindowMs ?? 1000, 'rateWindowMs'),
    ...(venueRate !== undefined && { maxOrdersPerVenuePerWindow: positiveInteger(venueRate, 'maxOrdersPerVenuePerWindow') }),
    portfolio: limitSet(root.portfolio ?? {}, 'portfolio'),
    accounts,
  };
}

function limitSet(raw: unknown, where: string): LimitSet {
  const record = object(raw, `risk limits: ${where}`);
  known(record, LIMIT_NAMES, `risk limits: ${where}`);
  const set: LimitSet = {};
  for (const name of DECIMAL_LIMITS) {
    const value = record[name];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !DECIMAL_STRING.test(value)) {
      throw new InvalidInputError(`risk limits: ${where}.${name}: ${JSON.stringify(value)} is not a decimal string`);
    }
    const limit = new Decimal(value);
    if (limit.isNegative()) throw new InvalidInputError(`risk limits: ${where}.${name}: "${value}" must not be negative`);
    set[name] = limit;
  }
  if (set.minOrderQuantity && set.maxOrderQuantity && set.minOrderQuantity.gt(set.maxOrderQuantity)) {
    throw new InvalidInputError(`risk limits: ${where}: minOrderQuantity ${set.minOrderQuantity.toFixed()} is above maxOrderQuantity ${set.maxOrderQuantity.toFixed()}`);
  }
  if (record.maxOrdersPerWindow !== undefined) set.maxOrdersPerWindow = positiveInteger(record.maxOrdersPerWindow, `${where}.maxOrdersPerWindow`);
  return set;
}

function object(raw: unknown, where: string): Record<string, unknown> {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return raw as Record<string, unknown>;
  throw new InvalidInputError(`${where}: expected an object, got ${JSON.stringify(raw)}`);
}

function known(record: Record<string, unknown>, names: Set<string>, where: string): void {
  const unknown = Object.keys(record).find((name) => !names.has(name));
  if (unknown) throw new InvalidInputError(`${where}: unknown setting "${unknown}"; known: ${[...names].join(', ')}`);
}

function positiveInteger(raw: unknown, where: string): number {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 0) return raw;
  throw new InvalidInputError(`risk limits: ${where}: ${JSON.stringify(raw)} is not a positive integer`);
}

import { InvalidInputError, parseDecimal, parseSymbol, parseVenueId, type Decimal, type LegRiskPolicy } from '@crossvenue/schemas';

/** An arbitrage worker's settings, checked: decimals as Decimal, times in ms of the run's clock. */
export interface ArbitrageSettings {
  /** One unified symbol, e.g. BTC/USDT. */
  instrument: string;
  /** Where it buys and sells: at least two venues. */
  venues: readonly string[];
  policy: LegRiskPolicy;
  /** The least edge a group is opened for, net of every fee, in bps of the buy notional. */
  minEdgeBps: Decimal;
  /** Base quantity of one group, at most. */
  maxQuantity: Decimal;
  /** Quote notional in flight (the open group's buy side plus every exposed residual), at most. */
  maxOpenNotional: Decimal;
  /** How far one venue's base holding may move, by this worker's fills, from where it was at start. */
  maxInventory: Decimal;
  /** No new group this long after one that failed (UNWOUND, EXPOSED, MISSED). */
  cooldownMs: number;
  /** How far past the planned worst price each taker leg's IOC limit goes, in bps. */
  legSlippageBps: Decimal;
  /** How far from the entry price an unwind may trade, in bps. */
  unwindMaxCostBps: Decimal;
  /** A book older than this (by the run's clock) is not traded on. */
  maxBookAgeMs: number;
  /** FINISH_OR_UNWIND: how long after the group opened a short leg is sent again. */
  finishWithinMs: number;
  /** MAKER_TAKER: the venue the post-only order rests on (the others hedge) and how long it rests. */
  maker: { venue: string; restMs: number } | null;
  /** Fee rates for a venue whose ref.symbols record has none; null: such a venue is not traded. */
  defaultTakerFee: Decimal | null;
  defaultMakerFee: Decimal | null;
}

const COMMON = ['instrument', 'venues', 'policy', 'minEdgeBps', 'maxQuantity', 'maxOpenNotional', 'maxInventory', 'cooldownMs', 'legSlippageBps', 'unwindMaxCostBps', 'maxBookAgeMs', 'defaultTakerFee'];
/** Keys that mean something under one policy only: given under another, they are refused, not ignored. */
const ONLY_FOR: Readonly<Record<string, LegRiskPolicy>> = {
  finishWithinMs: 'FINISH_OR_UNWIND',
  makerVenue: 'MAKER_TAKER',
  makerRestMs: 'MAKER_TAKER',
  defaultMakerFee: 'MAKER_TAKER',
};
const POLICIES: readonly LegRiskPolicy[] = ['BOTH_IOC', 'MAKER_TAKER', 'FINISH_OR_UNWIND'];

/**
 * Reads an arbitrage worker's settings (a JSON object), refusing unknown keys, keys of another
 * policy, missing required ones and bad values with one line naming the key (`where.key: …`).
 * Required: instrument, venues, minEdgeBps, maxQuantity, maxOpenNotional, maxInventory (and
 * makerVenue for MAKER_TAKER); the rest have defaults that only make it more careful.
 */
export function parseArbitrageSettings(settings: Readonly<Record<string, unknown>>, where: string): ArbitrageSettings {
  const at = (key: string) => `${where}.${key}`;
  const policy = settings.policy ?? 'BOTH_IOC';
  if (!POLICIES.includes(policy as LegRiskPolicy)) throw new InvalidInputError(`${at('policy')}: ${JSON.stringify(policy)} is not one of ${POLICIES.join(', ')}`);
  for (const key of Object.keys(settings)) {
    const only = ONLY_FOR[key];
    if (only !== undefined && only !== policy) throw new InvalidInputError(`${at(key)}: ${key} is only for ${only}, the policy is ${String(policy)}`);
    if (only === undefined && !COMMON.includes(key)) throw new InvalidInputError(`${at(key)}: unknown key; known: ${[...COMMON, ...Object.keys(ONLY_FOR)].join(', ')}`);
  }
  const required = (key: string): unknown => {
    if (settings[key] === undefined) throw new InvalidInputError(`${at(key)}: required`);
    return settings[key];
  };
  const decimal = (key: string, fallback: string | null, check: (value: Decimal) => boolean, rule: string): Decimal => {
    const value = parseDecimal(fallback === null ? required(key) : (settings[key] ?? fallback), at(key));
    if (!check(value)) throw new InvalidInputError(`${at(key)}: must be ${rule}, got ${String(settings[key])}`);
    return value;
  };
  const positive = (key: string, fallback: string | null = null) => decimal(key, fallback, (value) => value.gt(0), 'positive');
  const notNegative = (key: string, fallback: string | null = null) => decimal(key, fallback, (value) => value.gte(0), 'zero or more');
  const fee = (key: string) => (settings[key] === undefined ? null : decimal(key, null, (value) => value.gt(-1) && value.lt(1), 'a fraction of notional between -1 and 1 (0.001 = 0.1 %)'));
  const wholeMs = (key: string, fallback: number, least: number): number => {
    const value = settings[key] ?? fallback;
    if (!Number.isInteger(value) || (value as number) < least) throw new InvalidInputError(`${at(key)}: must be a whole number of ms, at least ${least}, got ${JSON.stringify(value)}`);
    return value as number;
  };

  const instrument = required('instrument');
  try {
    parseSymbol(instrument);
  } catch (error) {
    throw new InvalidInputError(`${at('instrument')}: ${(error as Error).message}`);
  }
  const venues = venueList(required('venues'), at('venues'));
  let maker: ArbitrageSettings['maker'] = null;
  if (policy === 'MAKER_TAKER') {
    const venue = required('makerVenue');
    if (typeof venue !== 'string' || !venues.includes(venue)) throw new InvalidInputError(`${at('makerVenue')}: must be one of venues (${venues.join(', ')}), got ${JSON.stringify(venue)}`);
    maker = { venue, restMs: wholeMs('makerRestMs', 5_000, 1) };
  }
  return {
    instrument: instrument as string,
    venues,
    policy: policy as LegRiskPolicy,
    minEdgeBps: notNegative('minEdgeBps'),
    maxQuantity: positive('maxQuantity'),
    maxOpenNotional: positive('maxOpenNotional'),
    maxInventory: positive('maxInventory'),
    cooldownMs: wholeMs('cooldownMs', 5_000, 0),
    legSlippageBps: notNegative('legSlippageBps', '2'),
    unwindMaxCostBps: positive('unwindMaxCostBps', '20'),
    maxBookAgeMs: wholeMs('maxBookAgeMs', 2_000, 1),
    finishWithinMs: wholeMs('finishWithinMs', 2_000, 1),
    maker,
    defaultTakerFee: fee('defaultTakerFee'),
    defaultMakerFee: fee('defaultMakerFee'),
  };
}

function venueList(raw: unknown, where: string): string[] {
  if (!Array.isArray(raw) || raw.length < 2) throw new InvalidInputError(`${where}: must list at least two venues, got ${JSON.stringify(raw)}`);
  const venues = raw.map((venue) => {
    try {
      return parseVenueId(venue);
    } catch (error) {
      throw new InvalidInputError(`${where}: ${(error as Error).message}`);
    }
  });
  const twice = venues.find((venue, i) => venues.indexOf(venue) !== i);
  if (twice !== undefined) throw new InvalidInputError(`${where}: ${twice} is listed twice`);
  return venues;
}

import { InvalidInputError, parseSymbol, type Decimal, type LegRiskPolicy } from '@crossvenue/schemas';
import { settingsReader, venueAt } from './settingsReader.ts';

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

const COMMON = ['instrument', 'venues', 'policy', 'minEdgeBps', 'maxQuantity', 'maxOpenNotional', 'maxInventory', 'cooldownMs', 'legSlippageBps', 'unwindMaxCostBps', 'maxBookAgeMs', 'defaultTakerFee', 'kind'];
/** Keys that mean something under one policy only: given under another, they are refused, not ignored. */
const ONLY_FOR: Readonly<Record<string, LegRiskPolicy>> = {
  finishWithinMs: 'FINISH_OR_UNWIND',
  makerVenue: 'MAKER_TAKER',
  makerRestMs: 'MAKER_TAKER',
  defaultMakerFee: 'MAKER_TAKER',
};
const POLICIES: readonly LegRiskPolicy[] = ['BOTH_IOC', 'MAKER_TAKER', 'FINISH_OR_UNWIND'];

/**
 * Reads a spot-spread arbitrage worker's settings (a JSON object; `kind` SPOT_SPREAD or absent),
 * refusing unknown keys, keys of another policy, missing required ones and bad values with one
 * line naming the key (`where.key: …`). Required: instrument, venues, minEdgeBps, maxQuantity,
 * maxOpenNotional, maxInventory (and makerVenue for MAKER_TAKER); the rest have defaults that only
 * make it more careful.
 */
export function parseArbitrageSettings(settings: Readonly<Record<string, unknown>>, where: string): ArbitrageSettings {
  const read = settingsReader(settings, where);
  const { at, required, positive, notNegative, fee, wholeMs } = read;
  if (settings.kind !== undefined && settings.kind !== 'SPOT_SPREAD') throw new InvalidInputError(`${at('kind')}: ${JSON.stringify(settings.kind)} is not one of SPOT_SPREAD, FUNDING`);
  const policy = settings.policy ?? 'BOTH_IOC';
  if (!POLICIES.includes(policy as LegRiskPolicy)) throw new InvalidInputError(`${at('policy')}: ${JSON.stringify(policy)} is not one of ${POLICIES.join(', ')}`);
  read.refuseUnknown([...COMMON, ...Object.keys(ONLY_FOR)], (key) => {
    const only = ONLY_FOR[key];
    return only !== undefined && only !== policy ? `${only}, the policy is ${String(policy)}` : null;
  });

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
  const venues = raw.map((venue) => venueAt(venue, where));
  const twice = venues.find((venue, i) => venues.indexOf(venue) !== i);
  if (twice !== undefined) throw new InvalidInputError(`${where}: ${twice} is listed twice`);
  return venues;
}

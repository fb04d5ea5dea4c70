import { InvalidInputError, parseSymbol, type Decimal } from '@crossvenue/schemas';
import { settingsReader, venueAt } from './settingsReader.ts';

/** Where a funding position may hold one side: a venue and what it trades there. */
export interface FundingPlace {
  venue: string;
  instrument: string;
  /** A perpetual (BASE/QUOTE:SETTLE) pays or receives funding; a spot instrument neither. */
  perpetual: boolean;
}

/** A funding arbitrage worker's settings, checked: decimals as Decimal, times in ms of the run's clock. */
export interface FundingSettings {
  /** At least two places on distinct venues, one of them a perpetual, all of one base and quote. */
  places: readonly FundingPlace[];
  policy: 'BOTH_IOC' | 'FINISH_OR_UNWIND';
  /** A position opens when the annualized funding differential is at least this (0.2 = 20 % a year). */
  entryApr: Decimal;
  /** It closes when the differential falls below this (less than entryApr, so it does not flap). */
  exitApr: Decimal;
  /** How long a position is expected to be held: the funding over this long must pay the round trip and minEdgeBps. */
  holdMs: number;
  /** The least net edge, in bps of the buy notional: expected funding over holdMs less both legs' fees and spreads in and out. */
  minEdgeBps: Decimal;
  /** Closes when closing now would lose more than this, in bps of the entry notional, funding included. */
  stopLossBps: Decimal;
  /** Base quantity of the position, at most. */
  maxQuantity: Decimal;
  /** Quote notional of the position's buy side, at most. */
  maxOpenNotional: Decimal;
  cooldownMs: number;
  legSlippageBps: Decimal;
  unwindMaxCostBps: Decimal;
  maxBookAgeMs: number;
  /** A funding rate received longer ago than this is not acted on (the connector polls it; 60 s by default). */
  maxFundingAgeMs: number;
  /** The interval of a rate that gives none and whose settlement times have not been seen to move. */
  defaultFundingIntervalMs: number;
  finishWithinMs: number;
  defaultTakerFee: Decimal | null;
}

const KEYS = [
  'kind',
  'places',
  'policy',
  'entryApr',
  'exitApr',
  'holdMs',
  'minEdgeBps',
  'stopLossBps',
  'maxQuantity',
  'maxOpenNotional',
  'cooldownMs',
  'legSlippageBps',
  'unwindMaxCostBps',
  'maxBookAgeMs',
  'maxFundingAgeMs',
  'defaultFundingIntervalMs',
  'finishWithinMs',
  'defaultTakerFee',
];
const POLICIES = ['BOTH_IOC', 'FINISH_OR_UNWIND'] as const;
const HOUR_MS = 3_600_000;

/**
 * Reads a funding arbitrage worker's settings (`kind: FUNDING`), refusing unknown keys, missing
 * required ones and bad values with one line naming the key. Required: places, entryApr, exitApr,
 * minEdgeBps, stopLossBps, maxQuantity, maxOpenNotional. MAKER_TAKER is refused: a funding
 * position's two sides are taken at once.
 */
export function parseFundingSettings(settings: Readonly<Record<string, unknown>>, where: string): FundingSettings {
  const read = settingsReader(settings, where);
  const { at, required, decimal, positive, notNegative, fee, wholeMs } = read;
  if (settings.kind !== 'FUNDING') throw new InvalidInputError(`${at('kind')}: must be FUNDING for a funding arbitrage, got ${JSON.stringify(settings.kind)}`);
  read.refuseUnknown(KEYS, (key) => (key === 'makerVenue' || key === 'makerRestMs' || key === 'defaultMakerFee' ? 'MAKER_TAKER, which a funding arbitrage does not use: its two sides are taken at once' : null));
  const policy = settings.policy ?? 'BOTH_IOC';
  if (!(POLICIES as readonly unknown[]).includes(policy)) throw new InvalidInputError(`${at('policy')}: ${JSON.stringify(policy)} is not one of ${POLICIES.join(', ')} (MAKER_TAKER is for SPOT_SPREAD)`);
  if (settings.finishWithinMs !== undefined && policy !== 'FINISH_OR_UNWIND') throw new InvalidInputError(`${at('finishWithinMs')}: finishWithinMs is only for FINISH_OR_UNWIND, the policy is ${String(policy)}`);
  const entryApr = decimal('entryApr', null, (value) => value.gt(0), 'positive');
  const exitApr = decimal('exitApr', null, (value) => value.lt(entryApr), `less than entryApr (${entryApr.toFixed()})`);
  return {
    places: placesAt(required('places'), at('places')),
    policy: policy as FundingSettings['policy'],
    entryApr,
    exitApr,
    holdMs: wholeMs('holdMs', 24 * HOUR_MS, 1),
    minEdgeBps: notNegative('minEdgeBps'),
    stopLossBps: positive('stopLossBps'),
    maxQuantity: positive('maxQuantity'),
    maxOpenNotional: positive('maxOpenNotional'),
    cooldownMs: wholeMs('cooldownMs', 5_000, 0),
    legSlippageBps: notNegative('legSlippageBps', '2'),
    unwindMaxCostBps: positive('unwindMaxCostBps', '20'),
    maxBookAgeMs: wholeMs('maxBookAgeMs', 2_000, 1),
    maxFundingAgeMs: wholeMs('maxFundingAgeMs', 180_000, 1),
    defaultFundingIntervalMs: wholeMs('defaultFundingIntervalMs', 8 * HOUR_MS, 1),
    finishWithinMs: wholeMs('finishWithinMs', 2_000, 1),
    defaultTakerFee: fee('defaultTakerFee'),
  };
}

function placesAt(raw: unknown, where: string): FundingPlace[] {
  if (!Array.isArray(raw) || raw.length < 2) throw new InvalidInputError(`${where}: must list at least two { venue, instrument }, got ${JSON.stringify(raw)}`);
  const places = raw.map((entry, i) => {
    const here = `${where}[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new InvalidInputError(`${here}: must be { venue, instrument }`);
    const { venue, instrument, ...rest } = entry as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) throw new InvalidInputError(`${here}.${extra}: unknown key; known: venue, instrument`);
    let symbol;
    try {
      symbol = parseSymbol(instrument);
    } catch (error) {
      throw new InvalidInputError(`${here}.instrument: ${(error as Error).message}`);
    }
    if (symbol.expiry !== undefined) throw new InvalidInputError(`${here}.instrument: ${String(instrument)} expires; funding arbitrage holds spot and perpetuals, which pay no funding when dated`);
    return { venue: venueAt(venue, `${here}.venue`), instrument: instrument as string, perpetual: symbol.settle !== undefined, base: symbol.base, quote: symbol.quote };
  });
  const twice = places.find((place, i) => places.findIndex((other) => other.venue === place.venue) !== i);
  // Legs are told apart by venue (books, fills, unwinds): two instruments of one venue would be mixed up.
  if (twice) throw new InvalidInputError(`${where}: ${twice.venue} is listed twice; one instrument per venue`);
  const [first] = places;
  const other = places.find((place) => place.base !== first!.base || place.quote !== first!.quote);
  if (other) throw new InvalidInputError(`${where}: ${other.instrument} is not in ${first!.base} against ${first!.quote} like ${first!.instrument}; quantities are compared in one base asset`);
  if (!places.some((place) => place.perpetual)) throw new InvalidInputError(`${where}: no perpetual (BASE/QUOTE:SETTLE) among them; funding needs one`);
  return places.map(({ venue, instrument, perpetual }) => ({ venue, instrument, perpetual }));
}

import {
  Decimal,
  InvalidInputError,
  parseAccountId,
  parseDecimal,
  parsePortfolioId,
  parseSymbol,
  parseVenueId,
} from '@crossvenue/schemas';
import { parseInstrumentRule, type InstrumentRule } from './instrumentMap.ts';

/**
 * How a follower's size follows the leader's:
 * - ratio: a fixed fraction of the leader's quantity (0.1 copies a tenth);
 * - equity: follower equity / leader equity, from their latest balances valued at the mids;
 * - notional: a fixed amount of quote currency per opening trade; reductions are proportional.
 */
export type Sizing = { mode: 'ratio'; ratio: Decimal } | { mode: 'equity' } | { mode: 'notional'; notional: Decimal };

/** One follower: which leader it copies, where it trades, how it sizes and its limits. */
export interface FollowerConfig {
  /** Names its intents, decisions and metrics: letters, digits, "_", "-". */
  name: string;
  /** The leader: one venue account, whose orders may be placed through Crossvenue or on the venue directly. */
  leader: { venue: string; account: string };
  portfolio: string;
  account: string;
  venue: string;
  sizing: Sizing;
  /** In the base asset: a larger order is cut to it, the rest stays residual. Null: no cap. */
  maxOrderQuantity: Decimal | null;
  /** In the base asset, either side: the target never goes beyond it. Null: no cap. */
  maxPosition: Decimal | null;
  /** Leader instrument → follower instrument; empty copies every instrument as it is named. */
  instruments: InstrumentRule[];
  /** A drift of the position from its target beyond this fraction of the target is corrected. */
  driftThreshold: Decimal;
  /** A follower's resting order whose leader order is gone is cancelled after this long. */
  orphanGraceMs: number;
  /** Starts paused (a control command resumes it). */
  paused: boolean;
  /**
   * The leverage the follower account is set to on each of its (derivative) follower instruments,
   * through its connector; null: left as the venue account has it.
   */
  leverage: number | null;
}

const KEYS = new Set(['name', 'leader', 'portfolio', 'account', 'venue', 'sizing', 'maxOrderQuantity', 'maxPosition', 'instruments', 'driftThreshold', 'orphanGraceMs', 'paused', 'leverage']);

export const DEFAULT_DRIFT_THRESHOLD = new Decimal('0.05');
export const DEFAULT_ORPHAN_GRACE_MS = 60_000;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** Every follower of the `followers:` list, checked; the first problem is an InvalidInputError naming its place. */
export function parseFollowers(raw: unknown): FollowerConfig[] {
  if (!Array.isArray(raw)) throw new InvalidInputError('followers: must be a list');
  const followers = raw.map((entry, i) => parseFollower(entry, `followers[${i}]`));
  const names = new Set<string>();
  followers.forEach(({ name }, i) => {
    if (names.has(name)) throw new InvalidInputError(`followers[${i}].name: "${name}" is used twice`);
    names.add(name);
  });
  return followers;
}

export function parseFollower(raw: unknown, where: string): FollowerConfig {
  const entry = object(raw, where);
  for (const key of Object.keys(entry)) if (!KEYS.has(key)) throw new InvalidInputError(`${where}.${key}: unknown setting`);
  const name = entry.name;
  if (typeof name !== 'string' || !NAME.test(name)) throw new InvalidInputError(`${where}.name: use 1-32 letters, digits, "_" or "-", starting with a letter or digit`);
  const leader = object(entry.leader, `${where}.leader`);
  const orphanGraceMs = entry.orphanGraceMs ?? DEFAULT_ORPHAN_GRACE_MS;
  if (!Number.isInteger(orphanGraceMs) || (orphanGraceMs as number) < 0) throw new InvalidInputError(`${where}.orphanGraceMs: a whole number of ms, 0 or more`);
  if (entry.paused !== undefined && typeof entry.paused !== 'boolean') throw new InvalidInputError(`${where}.paused: true or false`);
  const instruments = entry.instruments ?? [];
  if (!Array.isArray(instruments)) throw new InvalidInputError(`${where}.instruments: a list of { leader, follower }`);
  const driftThreshold = entry.driftThreshold === undefined ? DEFAULT_DRIFT_THRESHOLD : positive(entry.driftThreshold, `${where}.driftThreshold`);
  const rules = instruments.map((rule, i) => parseInstrumentRule(rule, `${where}.instruments[${i}]`));
  const leaderAccount = { venue: checked(() => parseVenueId(leader.venue), `${where}.leader.venue`), account: checked(() => parseAccountId(leader.account), `${where}.leader.account`) };
  const venue = checked(() => parseVenueId(entry.venue), `${where}.venue`);
  const account = checked(() => parseAccountId(entry.account), `${where}.account`);
  if (leaderAccount.venue === venue && leaderAccount.account === account) throw new InvalidInputError(`${where}.account: a follower cannot copy its own account`);
  return {
    name,
    leader: leaderAccount,
    portfolio: checked(() => parsePortfolioId(entry.portfolio), `${where}.portfolio`),
    account,
    venue,
    sizing: parseSizing(entry.sizing, `${where}.sizing`),
    maxOrderQuantity: entry.maxOrderQuantity === undefined ? null : positive(entry.maxOrderQuantity, `${where}.maxOrderQuantity`),
    maxPosition: entry.maxPosition === undefined ? null : positive(entry.maxPosition, `${where}.maxPosition`),
    instruments: rules,
    driftThreshold,
    orphanGraceMs: orphanGraceMs as number,
    paused: (entry.paused as boolean | undefined) ?? false,
    leverage: entry.leverage === undefined ? null : parseLeverage(entry.leverage, rules, `${where}.leverage`),
  };
}

/**
 * A whole leverage of 1 or more (venues take whole numbers), set per instrument: so the follower
 * names each instrument it is set on, and each is a derivative (a spot account has no leverage).
 */
function parseLeverage(raw: unknown, rules: readonly InstrumentRule[], where: string): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) throw new InvalidInputError(`${where}: a whole number, 1 or more, got ${JSON.stringify(raw)}`);
  if (rules.length === 0) throw new InvalidInputError(`${where}: needs instruments: the derivatives it is set on (e.g. [{ leader: BTC/USDT, follower: BTC/USDT:USDT }])`);
  for (const { follower } of rules) {
    if (follower.startsWith('*/')) throw new InvalidInputError(`${where}: is set per instrument: list each follower instrument instead of ${follower}`);
    if (parseSymbol(follower).settle === undefined) throw new InvalidInputError(`${where}: ${follower} is spot, which has no leverage; leverage applies to derivatives (e.g. BTC/USDT:USDT)`);
  }
  return raw;
}

/** The follower as a config file's `followers:` entry (decimals as strings, defaults written out): what the API shows and the audit keeps. */
export function formatFollower(follower: FollowerConfig): Record<string, unknown> {
  const { sizing } = follower;
  return {
    name: follower.name,
    leader: { ...follower.leader },
    portfolio: follower.portfolio,
    venue: follower.venue,
    account: follower.account,
    sizing: sizing.mode === 'ratio' ? { mode: 'ratio', ratio: sizing.ratio.toFixed() } : sizing.mode === 'notional' ? { mode: 'notional', notional: sizing.notional.toFixed() } : { mode: 'equity' },
    ...(follower.maxOrderQuantity && { maxOrderQuantity: follower.maxOrderQuantity.toFixed() }),
    ...(follower.maxPosition && { maxPosition: follower.maxPosition.toFixed() }),
    instruments: follower.instruments.map((rule) => ({ ...rule })),
    driftThreshold: follower.driftThreshold.toFixed(),
    orphanGraceMs: follower.orphanGraceMs,
    paused: follower.paused,
    ...(follower.leverage !== null && { leverage: follower.leverage }),
  };
}

/** Whose positions the follower's targets are about: a change of these starts its copy state afresh. */
export function sameAccounts(a: FollowerConfig, b: FollowerConfig): boolean {
  return a.leader.venue === b.leader.venue && a.leader.account === b.leader.account && a.portfolio === b.portfolio && a.venue === b.venue && a.account === b.account;
}

function parseSizing(raw: unknown, where: string): Sizing {
  const sizing = object(raw, where);
  const only = (keys: string[]) => {
    const extra = Object.keys(sizing).filter((key) => key !== 'mode' && !keys.includes(key));
    if (extra.length > 0) throw new InvalidInputError(`${where}.${extra[0]}: not a setting of sizing mode ${String(sizing.mode)}`);
  };
  switch (sizing.mode) {
    case 'ratio':
      only(['ratio']);
      return { mode: 'ratio', ratio: positive(sizing.ratio, `${where}.ratio`) };
    case 'equity':
      only([]);
      return { mode: 'equity' };
    case 'notional':
      only(['notional']);
      return { mode: 'notional', notional: positive(sizing.notional, `${where}.notional`) };
    default:
      throw new InvalidInputError(`${where}.mode: one of ratio, equity, notional`);
  }
}

function object(raw: unknown, where: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InvalidInputError(`${where}: must be an object`);
  return raw as Record<string, unknown>;
}

function positive(raw: unknown, where: string): Decimal {
  if (raw === undefined) throw new InvalidInputError(`${where}: missing`);
  const value = parseDecimal(raw, where);
  if (!value.gt(0)) throw new InvalidInputError(`${where}: must be positive, got ${value.toFixed()}`);
  return value;
}

/** Re-words an id parser's error with the setting's place. */
function checked<T>(parse: () => T, where: string): T {
  try {
    return parse();
  } catch (error) {
    throw new InvalidInputError(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

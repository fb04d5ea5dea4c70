import { InvalidInputError, parseSymbol } from '@crossvenue/schemas';

/**
 * One mapping rule of a follower: the leader's instrument and the follower's, e.g. BTC/USDT on
 * Binance spot → BTC/USDT:USDT, the perpetual on Bybit. `*` as the base maps every base alike
 * (`*\/USDT` → `*\/USDT:USDT`). Both sides must have the same base asset: quantities are copied in
 * it (a perpetual's too; its connector turns them into contracts).
 */
export interface InstrumentRule {
  leader: string;
  follower: string;
}

const ANY_BASE = '*';

export function parseInstrumentRule(raw: unknown, where: string): InstrumentRule {
  if (typeof raw !== 'object' || raw === null) throw new InvalidInputError(`${where}: must be { leader, follower }`);
  const { leader, follower, ...rest } = raw as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw new InvalidInputError(`${where}.${Object.keys(rest)[0]}: unknown setting`);
  if (typeof leader !== 'string' || typeof follower !== 'string') throw new InvalidInputError(`${where}: leader and follower must be unified symbols`);
  const leaderBase = baseOf(leader, `${where}.leader`);
  const followerBase = baseOf(follower, `${where}.follower`);
  if (leaderBase !== followerBase) {
    throw new InvalidInputError(`${where}: ${leader} → ${follower} changes the base asset; a copy is sized in the base asset, so both must have the same (or both "*")`);
  }
  return { leader, follower };
}

/**
 * The follower's instrument for a leader's instrument: the first rule that matches, or the same
 * name when the follower has no rules. Null: the follower's rules leave this instrument out.
 */
export function mapInstrument(rules: readonly InstrumentRule[], leaderInstrument: string): string | null {
  if (rules.length === 0) return leaderInstrument;
  const { base } = parseSymbol(leaderInstrument);
  for (const rule of rules) {
    if (withBase(rule.leader, base) === leaderInstrument) return withBase(rule.follower, base);
  }
  return null;
}

function baseOf(symbol: string, where: string): string {
  try {
    return parseSymbol(symbol.startsWith(`${ANY_BASE}/`) ? `X${symbol.slice(1)}` : symbol).base && symbol.split('/')[0]!;
  } catch (error) {
    throw new InvalidInputError(`${where}: ${(error as Error).message}`);
  }
}

function withBase(pattern: string, base: string): string {
  return pattern.startsWith(`${ANY_BASE}/`) ? `${base}${pattern.slice(1)}` : pattern;
}

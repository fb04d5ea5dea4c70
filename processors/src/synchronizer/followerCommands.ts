import { randomUUID } from 'node:crypto';
import { InvalidInputError, type ControlCommand } from '@crossvenue/schemas';
import { parseFollower, type FollowerConfig } from './FollowerConfig.ts';

/**
 * The control commands (CONFIG_CHANGE on control.commands) the synchronizer takes, and the one it
 * sends:
 * - `synchronizer.<name>`: the follower's whole configuration as JSON, one entry of the config
 *   file's `followers:` list (added, or replacing the one of that name); null, "" or "null"
 *   removes it. The gateway's `PUT/DELETE /sync/followers/{name}` publish these.
 * - `synchronizer.<name>.paused`: true pauses, false resumes.
 * - `leverage.<instrument>` in ACCOUNT scope: the leverage a connector sets on its account's
 *   instrument (ccxt setLeverage; connectors/src/ccxt/AccountLeverage.ts reads the same key, which
 *   the layering keeps from sharing a constant); the synchronizer sends it for a follower with `leverage`, and
 *   reads it back to know what each account was last asked for.
 * The topic is compacted by type, scope, target and key: the latest of each survives, read whole at
 * every start, so what the API configured outlives a restart.
 */
export type FollowerCommand =
  | { kind: 'pause'; name: string; paused: boolean }
  | { kind: 'configure'; name: string; follower: FollowerConfig }
  | { kind: 'remove'; name: string }
  | { kind: 'refuse'; name: string; reason: string; raw: unknown }
  | { kind: 'leverage'; venue: string; account: string; instrument: string; value: string };

const PREFIX = 'synchronizer.';
const LEVERAGE_PREFIX = 'leverage.';

/** CONFIG_CHANGE key that pauses (value true) or resumes (false) a follower. */
export const pauseKey = (follower: string) => `${PREFIX}${follower}.paused`;
/** CONFIG_CHANGE key whose value is a follower's whole configuration (null removes it). */
export const followerKey = (follower: string) => `${PREFIX}${follower}`;
/** CONFIG_CHANGE key (ACCOUNT scope) of the leverage a connector sets on its account's instrument. */
const leverageKey = (instrument: string) => `${LEVERAGE_PREFIX}${instrument}`;

/** What a control command means to the synchronizer; null for one that is not about it. A malformed one is `refuse`, with the reason. */
export function readFollowerCommand(command: ControlCommand): FollowerCommand | null {
  const key = command.configKey;
  if (command.type !== 'CONFIG_CHANGE' || key === null) return null;
  if (key.startsWith(LEVERAGE_PREFIX)) {
    if (command.scope !== 'ACCOUNT' || command.venue === null || command.account === null || command.configValue === null) return null;
    return { kind: 'leverage', venue: command.venue, account: command.account, instrument: key.slice(LEVERAGE_PREFIX.length), value: command.configValue };
  }
  if (!key.startsWith(PREFIX)) return null;
  const rest = key.slice(PREFIX.length);
  if (rest.endsWith('.paused')) {
    const name = rest.slice(0, -'.paused'.length);
    if (command.configValue !== 'true' && command.configValue !== 'false') return { kind: 'refuse', name, reason: `${key}: value ${command.configValue} is neither true nor false`, raw: null };
    return { kind: 'pause', name, paused: command.configValue === 'true' };
  }
  const value = command.configValue?.trim() ?? '';
  if (value === '' || value === 'null') return { kind: 'remove', name: rest };
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch {
    return { kind: 'refuse', name: rest, reason: `${key}: the value is not JSON`, raw: null };
  }
  try {
    const follower = parseFollower(raw, key);
    if (follower.name !== rest) throw new InvalidInputError(`${key}.name: "${follower.name}" is not the follower the key names ("${rest}")`);
    return { kind: 'configure', name: rest, follower };
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return { kind: 'refuse', name: rest, reason: error.message, raw };
  }
}

/** The command asking the follower account's connector to set its leverage on one instrument. */
export function leverageCommand(follower: FollowerConfig, instrument: string, nowMs: number): ControlCommand {
  return {
    eventId: randomUUID(),
    type: 'CONFIG_CHANGE',
    scope: 'ACCOUNT',
    portfolio: null,
    venue: follower.venue,
    account: follower.account,
    engaged: null,
    cancelOpenOrders: false,
    configKey: leverageKey(instrument),
    configValue: String(follower.leverage),
    issuedBy: 'synchronizer',
    reason: `follower ${follower.name}: leverage ${follower.leverage}`,
    issuedAtMs: nowMs,
  };
}

import { SettingError } from '@crossvenue/runtime';
import { InvalidInputError } from '@crossvenue/schemas';

type Env = Record<string, string | undefined>;

/** A setting that must be given: its trimmed value, or one line naming it and what it expects. */
export function requiredSetting(env: Env, key: string, expected: string): string {
  const value = env[key]?.trim();
  if (!value) throw new SettingError(key, expected, env[key] ?? '');
  return value;
}

/** A setting holding a JSON object (a worker's own settings); unset or blank is {}. */
export function jsonObjectSetting(env: Env, key: string): Record<string, unknown> {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new SettingError(key, 'a JSON object', raw);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SettingError(key, 'a JSON object', raw);
  return parsed as Record<string, unknown>;
}

/**
 * A domain parser's verdict on a setting's value: its InvalidInputError (one line naming the
 * field) becomes a SettingError naming the variable too, so the worker stops with one line.
 */
export function checkedSetting<T>(key: string, expected: string, raw: string | undefined, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InvalidInputError) throw new SettingError(key, `${expected}; ${error.message}`, raw ?? '');
    throw error;
  }
}

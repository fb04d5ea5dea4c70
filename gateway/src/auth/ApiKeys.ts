import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SettingError } from '@crossvenue/runtime';

/** read-only < trader (orders, intents) < admin (kill switches). */
export const ROLES = ['read', 'trader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiPrincipal {
  /** Who, for the audit log (`requestedBy`, `issuedBy`); never the key itself. */
  name: string;
  role: Role;
}

interface StoredKey extends ApiPrincipal {
  digest: Buffer;
}

const MIN_KEY_LENGTH = 24;
const digest = (key: string) => createHash('sha256').update(key).digest();

/**
 * The gateway's API keys. Keys are kept only as SHA-256 digests and compared in constant time, so
 * neither a timing difference nor a heap dump gives a key away; they never reach a log line.
 */
export class ApiKeys {
  private readonly keys: StoredKey[];

  constructor(entries: Array<ApiPrincipal & { key: string }>) {
    this.keys = entries.map(({ name, role, key }) => ({ name, role, digest: digest(key) }));
  }

  /**
   * From `CROSSVENUE_API_KEYS` (`name:role:key,…`) or the JSON secrets file named by
   * `CROSSVENUE_SECRETS_FILE` (`{"apiKeys": [{"name", "role", "key"}]}`), validated at start.
   */
  static fromEnvironment(env: Record<string, string | undefined> = process.env): ApiKeys {
    const file = env.CROSSVENUE_SECRETS_FILE?.trim();
    if (file) return new ApiKeys(validate('CROSSVENUE_SECRETS_FILE', readSecretsFile(file)));
    const list = env.CROSSVENUE_API_KEYS?.trim();
    if (!list) throw new SettingError('CROSSVENUE_API_KEYS', 'name:role:key entries (or CROSSVENUE_SECRETS_FILE)', '');
    const entries = list.split(',').map((entry) => {
      const [name = '', role = '', ...key] = entry.trim().split(':');
      return { name, role, key: key.join(':') };
    });
    return new ApiKeys(validate('CROSSVENUE_API_KEYS', entries));
  }

  /** The principal of a presented key, or undefined. Every stored key is compared, always. */
  authenticate(presented: string | undefined): ApiPrincipal | undefined {
    if (!presented) return undefined;
    const candidate = digest(presented);
    let found: StoredKey | undefined;
    for (const key of this.keys) if (timingSafeEqual(key.digest, candidate)) found = key;
    return found && { name: found.name, role: found.role };
  }
}

export function allows(principal: ApiPrincipal, needed: Role): boolean {
  return ROLES.indexOf(principal.role) >= ROLES.indexOf(needed);
}

function readSecretsFile(path: string): unknown[] {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { apiKeys?: unknown };
    if (!Array.isArray(parsed.apiKeys)) throw new Error('no "apiKeys" array');
    return parsed.apiKeys;
  } catch (error) {
    throw new SettingError('CROSSVENUE_SECRETS_FILE', 'a readable JSON file with an "apiKeys" array', `${path} (${(error as Error).message})`);
  }
}

/** One line naming the setting and the entry; the key itself is never echoed. */
function validate(setting: string, entries: unknown[]): Array<ApiPrincipal & { key: string }> {
  return entries.map((entry, i) => {
    const { name, role, key } = (entry ?? {}) as Record<string, unknown>;
    const where = `entry ${i + 1}`;
    if (typeof name !== 'string' || !/^[\w.@-]{1,64}$/.test(name)) throw new SettingError(setting, `a name of letters, digits, ._@- in ${where}`, String(name));
    if (!ROLES.includes(role as Role)) throw new SettingError(setting, `a role (${ROLES.join(', ')}) in ${where}`, String(role));
    if (typeof key !== 'string' || key.length < MIN_KEY_LENGTH) {
      throw new SettingError(setting, `a key of at least ${MIN_KEY_LENGTH} characters in ${where} (${name})`, '[redacted]');
    }
    return { name, role: role as Role, key };
  });
}

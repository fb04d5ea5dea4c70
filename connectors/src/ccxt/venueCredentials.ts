import { readFileSync } from 'node:fs';
import { SettingError } from '@crossvenue/runtime';

/** An account's API credentials. Never logged (pino redacts apiKey/secret) and never put in a message. */
export interface VenueCredentials {
  apiKey: string;
  secret: string;
}

type Env = Record<string, string | undefined>;

/**
 * VENUE_API_KEY and VENUE_API_SECRET, or the entry for (venue, account) in CROSSVENUE_SECRETS_FILE
 * (`{"venueCredentials": [{"venue", "account", "apiKey", "secret"}]}`). Checked at start; an error
 * names the setting and never echoes a secret.
 */
export function venueCredentials(venue: string, account: string, env: Env): VenueCredentials {
  const apiKey = env.VENUE_API_KEY?.trim();
  const secret = env.VENUE_API_SECRET?.trim();
  if (apiKey && secret) return { apiKey, secret };
  if (apiKey || secret) throw new SettingError(apiKey ? 'VENUE_API_SECRET' : 'VENUE_API_KEY', 'to be set together with its pair', '');
  const file = env.CROSSVENUE_SECRETS_FILE?.trim();
  if (!file) throw new SettingError('VENUE_API_KEY', 'venue credentials (VENUE_API_KEY + VENUE_API_SECRET, or CROSSVENUE_SECRETS_FILE)', '');
  const entries = readEntries(file);
  const found = entries.find((entry) => entry.venue === venue && entry.account === account);
  if (!found) throw new SettingError('CROSSVENUE_SECRETS_FILE', `a venueCredentials entry for venue "${venue}" account "${account}"`, file);
  return { apiKey: found.apiKey, secret: found.secret };
}

interface Entry extends VenueCredentials {
  venue: string;
  account: string;
}

function readEntries(path: string): Entry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SettingError('CROSSVENUE_SECRETS_FILE', 'a readable JSON file', `${path} (${(error as Error).message.split('\n')[0]})`);
  }
  const list = (parsed as { venueCredentials?: unknown }).venueCredentials;
  const valid = Array.isArray(list) && list.every((entry) => ['venue', 'account', 'apiKey', 'secret'].every((key) => typeof (entry as Record<string, unknown>)?.[key] === 'string'));
  if (!valid) throw new SettingError('CROSSVENUE_SECRETS_FILE', 'a "venueCredentials" array of {venue, account, apiKey, secret} strings', path);
  return list as Entry[];
}

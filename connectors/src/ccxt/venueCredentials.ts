import { readFileSync } from 'node:fs';
import { SettingError } from '@crossvenue/runtime';

/**
 * Every credential a venue account can sign with: its environment variable, its field in a
 * secrets-file entry (our name), ccxt's name, and what to call it in an error. OKX needs an API
 * passphrase (ccxt's `password`); Hyperliquid signs with a wallet's private key, not an API key.
 */
export const CREDENTIALS = {
  apiKey: { env: 'VENUE_API_KEY', ccxt: 'apiKey', label: 'API key' },
  secret: { env: 'VENUE_API_SECRET', ccxt: 'secret', label: 'API secret' },
  passphrase: { env: 'VENUE_API_PASSPHRASE', ccxt: 'password', label: 'API passphrase' },
  walletAddress: { env: 'VENUE_WALLET_ADDRESS', ccxt: 'walletAddress', label: 'wallet address' },
  privateKey: { env: 'VENUE_PRIVATE_KEY', ccxt: 'privateKey', label: 'wallet private key' },
} as const;

export type CredentialField = keyof typeof CREDENTIALS;
export const CREDENTIAL_FIELDS = Object.keys(CREDENTIALS) as CredentialField[];

/**
 * An account's credentials, those its venue needs (ccxtCredentialsProblem checks which). Never
 * logged (the logger redacts every field and variable name here) and never put in a message.
 */
export type VenueCredentials = Partial<Record<CredentialField, string>>;

type Env = Record<string, string | undefined>;

/**
 * The VENUE_* credential variables when any is set, else the entry for (venue, account) in
 * CROSSVENUE_SECRETS_FILE (`{"venueCredentials": [{"venue", "account", "apiKey", "secret",
 * "passphrase"?, "walletAddress"?, "privateKey"?}]}`). Read at start; an error names the setting
 * and never echoes a secret. Whether they are the ones the venue needs is createCcxtClient's check.
 */
export function venueCredentials(venue: string, account: string, env: Env): VenueCredentials {
  const fromEnv = present(Object.fromEntries(CREDENTIAL_FIELDS.map((field) => [field, env[CREDENTIALS[field].env]?.trim()])));
  if (Object.keys(fromEnv).length > 0) return fromEnv;
  const file = env.CROSSVENUE_SECRETS_FILE?.trim();
  if (!file) throw new SettingError('VENUE_API_KEY', `venue credentials (${CREDENTIAL_FIELDS.map((field) => CREDENTIALS[field].env).join(', ')} as the venue needs, or CROSSVENUE_SECRETS_FILE)`, '');
  const found = readEntries(file).find((entry) => entry.venue === venue && entry.account === account);
  if (!found) throw new SettingError('CROSSVENUE_SECRETS_FILE', `a venueCredentials entry for venue "${venue}" account "${account}"`, file);
  return present(found);
}

/** The credential fields of the venue's class it does not have, by our names. */
export function missingCredentials(needed: readonly CredentialField[], credentials: VenueCredentials): CredentialField[] {
  return needed.filter((field) => !credentials[field]);
}

/** Only the credential fields that hold a value. */
function present(values: Record<string, unknown>): VenueCredentials {
  return Object.fromEntries(CREDENTIAL_FIELDS.filter((field) => typeof values[field] === 'string' && values[field] !== '').map((field) => [field, values[field]]));
}

type Entry = VenueCredentials & { venue: string; account: string };

function readEntries(path: string): Entry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    // A JSON syntax error quotes the text around it, which may be a secret: only the kind of failure is shown.
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof SyntaxError ? 'not JSON' : 'unreadable');
    throw new SettingError('CROSSVENUE_SECRETS_FILE', 'a readable JSON file', `${path} (${reason})`);
  }
  const list = (parsed as { venueCredentials?: unknown }).venueCredentials;
  const isEntry = (entry: unknown) => {
    const fields = entry as Record<string, unknown> | null;
    return typeof fields?.venue === 'string' && typeof fields.account === 'string' && CREDENTIAL_FIELDS.every((field) => fields[field] === undefined || typeof fields[field] === 'string');
  };
  if (!Array.isArray(list) || !list.every(isEntry)) {
    throw new SettingError('CROSSVENUE_SECRETS_FILE', `a "venueCredentials" array of {venue, account} with string ${CREDENTIAL_FIELDS.join(', ')} as the venue needs`, path);
  }
  return list as Entry[];
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { venueCredentials } from './venueCredentials.ts';

describe('venueCredentials', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'creds-')), 'secrets.json');
  writeFileSync(file, JSON.stringify({ venueCredentials: [{ venue: 'binance', account: 'a1', apiKey: 'k', secret: 's' }] }));

  it('takes VENUE_API_KEY and VENUE_API_SECRET first, else the secrets file entry for (venue, account)', () => {
    expect(venueCredentials('binance', 'a1', { VENUE_API_KEY: 'ek', VENUE_API_SECRET: 'es', CROSSVENUE_SECRETS_FILE: file })).toEqual({ apiKey: 'ek', secret: 'es' });
    expect(venueCredentials('binance', 'a1', { CROSSVENUE_SECRETS_FILE: file })).toEqual({ apiKey: 'k', secret: 's' });
  });

  it('fails at start with one line naming the setting, never echoing a secret', () => {
    expect(() => venueCredentials('binance', 'a1', { VENUE_API_KEY: 'secret-key' })).toThrow('VENUE_API_SECRET: expected to be set together with its pair, got ""');
    expect(() => venueCredentials('binance', 'a1', {})).toThrow(/^VENUE_API_KEY: expected venue credentials/);
    expect(() => venueCredentials('bybit', 'a1', { CROSSVENUE_SECRETS_FILE: file })).toThrow(`CROSSVENUE_SECRETS_FILE: expected a venueCredentials entry for venue "bybit" account "a1", got "${file}"`);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { venueCredentials } from './venueCredentials.ts';

describe('venueCredentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'creds-'));
  const file = join(dir, 'secrets.json');
  writeFileSync(
    file,
    JSON.stringify({
      venueCredentials: [
        { venue: 'binance', account: 'a1', apiKey: 'k', secret: 's' },
        { venue: 'okx', account: 'a1', apiKey: 'ok', secret: 'os', passphrase: 'op' },
        { venue: 'hyperliquid', account: 'a1', walletAddress: '0xabc', privateKey: '0xkey' },
      ],
    }),
  );

  it('takes the VENUE_* variables first, else the secrets file entry for (venue, account)', () => {
    expect(venueCredentials('binance', 'a1', { VENUE_API_KEY: 'ek', VENUE_API_SECRET: 'es', CROSSVENUE_SECRETS_FILE: file })).toEqual({ apiKey: 'ek', secret: 'es' });
    expect(venueCredentials('binance', 'a1', { CROSSVENUE_SECRETS_FILE: file })).toEqual({ apiKey: 'k', secret: 's' });
  });

  it('reads a passphrase and a wallet, from the environment or the file', () => {
    expect(venueCredentials('okx', 'a1', { VENUE_API_KEY: 'ek', VENUE_API_SECRET: 'es', VENUE_API_PASSPHRASE: ' ep ' })).toEqual({ apiKey: 'ek', secret: 'es', passphrase: 'ep' });
    expect(venueCredentials('okx', 'a1', { CROSSVENUE_SECRETS_FILE: file })).toEqual({ apiKey: 'ok', secret: 'os', passphrase: 'op' });
    expect(venueCredentials('hyperliquid', 'a1', { VENUE_WALLET_ADDRESS: '0xw', VENUE_PRIVATE_KEY: '0xp' })).toEqual({ walletAddress: '0xw', privateKey: '0xp' });
    expect(venueCredentials('hyperliquid', 'a1', { CROSSVENUE_SECRETS_FILE: file })).toEqual({ walletAddress: '0xabc', privateKey: '0xkey' });
  });

  it('fails at start with one line naming the setting, never echoing a secret', () => {
    expect(() => venueCredentials('binance', 'a1', {})).toThrow(/^VENUE_API_KEY: expected venue credentials \(VENUE_API_KEY, VENUE_API_SECRET, VENUE_API_PASSPHRASE, VENUE_WALLET_ADDRESS, VENUE_PRIVATE_KEY as the venue needs, or CROSSVENUE_SECRETS_FILE\)/);
    expect(() => venueCredentials('bybit', 'a1', { CROSSVENUE_SECRETS_FILE: file })).toThrow(`CROSSVENUE_SECRETS_FILE: expected a venueCredentials entry for venue "bybit" account "a1", got "${file}"`);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"venueCredentials": [{"passphrase": "leak-me"');
    expect(() => venueCredentials('okx', 'a1', { CROSSVENUE_SECRETS_FILE: broken })).toThrow(`CROSSVENUE_SECRETS_FILE: expected a readable JSON file, got "${broken} (not JSON)"`);
    const wrongType = join(dir, 'wrong.json');
    writeFileSync(wrongType, JSON.stringify({ venueCredentials: [{ venue: 'okx', account: 'a1', passphrase: 1234 }] }));
    expect(() => venueCredentials('okx', 'a1', { CROSSVENUE_SECRETS_FILE: wrongType })).toThrow(/^CROSSVENUE_SECRETS_FILE: expected a "venueCredentials" array of \{venue, account\} with string apiKey, secret, passphrase, walletAddress, privateKey/);
  });
});

import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './errors.ts';
import {
  clientOrderId,
  parseAccountId,
  parseClientOrderId,
  parseIntentId,
  parsePortfolioId,
  parseVenueId,
  type IntentId,
} from './ids.ts';

const intent = parseIntentId('3f2b9c1e-8d4a-4e6f-9b7c-1a2d3e4f5a6b');

describe('clientOrderId', () => {
  it('is deterministic: same inputs, same id, every time', () => {
    expect(clientOrderId(intent, 2, 1)).toBe(clientOrderId(parseIntentId('3f2b9c1e-8d4a-4e6f-9b7c-1a2d3e4f5a6b'), 2, 1));
    // Pinned (sha256sum of the intent id, then leg 002, attempt 001): changing the derivation would
    // make every order already at a venue unrecognisable after an upgrade.
    expect(clientOrderId(intent, 2, 1)).toBe('c47d4689f1a1ae9913a6c04108002001');
  });

  it('differs for every intent, leg and attempt', () => {
    const ids = new Set<string>();
    for (const id of ['a', 'b', 'intent-1', 'intent-2']) {
      for (let leg = 0; leg < 5; leg++) for (let attempt = 0; attempt < 5; attempt++) ids.add(clientOrderId(id as IntentId, leg, attempt));
    }
    expect(ids.size).toBe(4 * 5 * 5);
  });

  it('fits Binance, OKX and Kraken client id rules, and ends with the leg and attempt', () => {
    const longest = parseIntentId(`x${'y'.repeat(127)}`);
    for (const id of [clientOrderId(intent, 0, 0), clientOrderId(longest, 4095, 4095)]) {
      expect(id).toMatch(/^[a-zA-Z0-9-_]{1,36}$/); // Binance newClientOrderId
      expect(id).toMatch(/^[a-zA-Z0-9]{1,32}$/); // OKX clOrdId
      expect(id).toMatch(/^[0-9a-f]{32}$/); // Kraken cl_ord_id short UUID, Hyperliquid cloid without 0x
      expect(parseClientOrderId(id)).toBe(id);
    }
    expect(clientOrderId(intent, 10, 3).slice(-6)).toBe('00a003');
  });

  it.each([
    [-1, 0, 'leg must be an integer from 0 to 4095, got -1'],
    [1.5, 0, 'leg must be an integer from 0 to 4095, got 1.5'],
    [0, 4096, 'attempt must be an integer from 0 to 4095, got 4096'],
  ])('refuses leg %s attempt %s', (leg, attempt, message) => {
    expect(() => clientOrderId(intent, leg, attempt)).toThrow(new InvalidInputError(message));
  });
});

describe('id constructors', () => {
  it('accept well-formed ids and return them unchanged', () => {
    expect(parseVenueId('binanceusdm')).toBe('binanceusdm');
    expect(parseAccountId('acct-binance-1')).toBe('acct-binance-1');
    expect(parsePortfolioId('pf.arb_2')).toBe('pf.arb_2');
    expect(parseIntentId('01JD3K8ZQ4W6V7X9Y2B5N8M1PA')).toBe('01JD3K8ZQ4W6V7X9Y2B5N8M1PA');
    expect(parseClientOrderId('web_5c7f0d2e9a')).toBe('web_5c7f0d2e9a');
  });

  it.each([
    [() => parseVenueId('Binance'), 'invalid venue id "Binance": use 1-32 lowercase letters, digits, "_" or "-", starting with a letter'],
    [() => parseAccountId(''), 'invalid account id "": use 1-64 letters, digits, "_", "." or "-", starting with a letter or digit'],
    [() => parsePortfolioId('pf 1'), 'invalid portfolio id "pf 1": use 1-64 letters, digits, "_", "." or "-", starting with a letter or digit'],
    [() => parseIntentId(42), 'invalid intent id 42: use 1-128 letters, digits, "_", ".", ":" or "-", starting with a letter or digit'],
    [() => parseClientOrderId('x'.repeat(37)), `invalid client order id "${'x'.repeat(37)}": use 1-36 letters, digits, "_" or "-"`],
    [() => parseVenueId(undefined), 'invalid venue id undefined: use 1-32 lowercase letters, digits, "_" or "-", starting with a letter'],
  ])('refuses a malformed id with a clear message (%#)', (make, message) => {
    expect(make).toThrow(new InvalidInputError(message));
  });
});

import { describe, expect, it } from 'vitest';
import { ccxtVenueProblem, createCcxtClient } from './createCcxtClient.ts';

const credentials = { apiKey: 'test-key', secret: 'test-secret' };

describe('createCcxtClient', () => {
  it('puts a live venue in sandbox mode: its API URLs become the testnet ones', async () => {
    const exchange = createCcxtClient({ ccxtId: 'bybit', account: 'main', credentials, sandbox: true });
    expect(exchange.isSandboxModeEnabled).toBe(true);
    expect(exchange.urls.api).toEqual(exchange.urls.test);
    await exchange.close();
    const live = createCcxtClient({ ccxtId: 'bybit', account: 'main', credentials });
    expect(live.isSandboxModeEnabled).toBe(false);
    await live.close();
  });

  it.each([
    [{ ccxtId: 'binance', sandbox: true, simulated: { restUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' } }, 'VENUE_SANDBOX: a sandbox (testnet) venue cannot also be a simulated venue'],
    [{ ccxtId: 'okx' }, 'VENUE_ID: okx needs a password credential too'],
    [{ ccxtId: 'kraken', simulated: { restUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' } }, 'VENUE_ID: simulated venues speak binance or bybit, got "kraken"'],
    [{ ccxtId: 'nosuchvenue' }, 'VENUE_ID: "nosuchvenue" is not a ccxt pro exchange'],
  ])('refuses %j with one line', (settings, message) => {
    expect(() => createCcxtClient({ account: 'main', credentials, ...settings })).toThrow(message);
  });

  it('knows which venues have no testnet in ccxt', () => {
    expect(ccxtVenueProblem({ ccxtId: 'binance', sandbox: true })).toBeUndefined();
    expect(ccxtVenueProblem({ ccxtId: 'coinbase', sandbox: true })).toEqual({ on: 'sandbox', reason: 'ccxt has no sandbox (testnet) URLs for coinbase' });
  });
});

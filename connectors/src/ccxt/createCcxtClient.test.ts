import { describe, expect, it } from 'vitest';
import { ccxtLeverageProblem, ccxtVenueProblem, createCcxtClient, neededCredentials } from './createCcxtClient.ts';

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

  it("puts OKX in its demo trading mode (ccxt's sandbox sends x-simulated-trading) and Binance USD-M on its futures testnet", async () => {
    const okx = createCcxtClient({ ccxtId: 'okx', account: 'main', credentials: { ...credentials, passphrase: 'pp' }, sandbox: true });
    expect(okx.headers).toMatchObject({ 'x-simulated-trading': '1' });
    await okx.close();
    const usdm = createCcxtClient({ ccxtId: 'binanceusdm', account: 'main', credentials, sandbox: true });
    expect((usdm.urls.api as Record<string, string>).fapiPrivate).toMatch(/^https:\/\/testnet\.binancefuture\.com\//);
    await usdm.close();
  });

  it("signs with a passphrase (ccxt's password) or a wallet where the venue needs one", async () => {
    const okx = createCcxtClient({ ccxtId: 'okx', account: 'main', credentials: { ...credentials, passphrase: 'pp' } });
    expect([okx.apiKey, okx.secret, okx.password]).toEqual(['test-key', 'test-secret', 'pp']);
    await okx.close();
    const hyperliquid = createCcxtClient({ ccxtId: 'hyperliquid', account: 'main', credentials: { walletAddress: '0xwallet', privateKey: '0xkey' } });
    expect([hyperliquid.walletAddress, hyperliquid.privateKey]).toEqual(['0xwallet', '0xkey']);
    await hyperliquid.close();
  });

  it('knows which credentials each venue needs, from its ccxt class', () => {
    expect(neededCredentials('binance')).toEqual(['apiKey', 'secret']);
    expect(neededCredentials('okx')).toEqual(['apiKey', 'secret', 'passphrase']);
    expect(neededCredentials('hyperliquid')).toEqual(['walletAddress', 'privateKey']);
  });

  it.each([
    [{ ccxtId: 'binance', sandbox: true, simulated: { restUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' } }, 'VENUE_SANDBOX: a sandbox (testnet) venue cannot also be a simulated venue'],
    [{ ccxtId: 'kraken', simulated: { restUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1' } }, 'VENUE_ID: simulated venues speak binance, binanceusdm, bybit or okx, got "kraken"'],
    [{ ccxtId: 'nosuchvenue' }, 'VENUE_ID: "nosuchvenue" is not a ccxt pro exchange'],
    [{ ccxtId: 'gate' }, 'VENUE_ID: the ccxt connector trades on binance, binanceusdm, okx, bybit, coinbase, kraken, hyperliquid, not "gate" (no capability row)'],
    [{ ccxtId: 'kraken', sandbox: true }, 'VENUE_SANDBOX: ccxt has no sandbox (testnet) URLs for kraken'],
    [{ ccxtId: 'okx' }, 'VENUE_API_PASSPHRASE: okx account "main" needs its API passphrase (VENUE_API_PASSPHRASE, or "passphrase" in its venueCredentials entry)'],
    [
      { ccxtId: 'hyperliquid', credentials: { walletAddress: '0xwallet' } },
      'VENUE_PRIVATE_KEY: hyperliquid account "main" needs its wallet private key (VENUE_PRIVATE_KEY, or "privateKey" in its venueCredentials entry)',
    ],
    [{ ccxtId: 'binance', credentials: { apiKey: 'secret-key' } }, 'VENUE_API_SECRET: binance account "main" needs its API secret (VENUE_API_SECRET, or "secret" in its venueCredentials entry)'],
  ])('refuses %j with one line', (settings, message) => {
    expect(() => createCcxtClient({ account: 'main', credentials, ...settings })).toThrow(message);
  });

  it('never puts a credential in its errors', () => {
    expect(() => createCcxtClient({ ccxtId: 'okx', account: 'main', credentials: { apiKey: 'leak-key-1', secret: 'leak-secret-2' } })).toThrow(/^(?!.*leak-).*$/);
  });

  it('knows which venues have no testnet in ccxt', () => {
    expect(ccxtVenueProblem({ ccxtId: 'binance', sandbox: true })).toBeUndefined();
    expect(ccxtVenueProblem({ ccxtId: 'hyperliquid', sandbox: true })).toBeUndefined();
    expect(ccxtVenueProblem({ ccxtId: 'coinbase', sandbox: true })).toEqual({ on: 'sandbox', reason: 'ccxt has no sandbox (testnet) URLs for coinbase' });
  });

  it('says which venues\' ccxt classes cannot set an account\'s leverage', () => {
    expect(['binanceusdm', 'bybit', 'okx', 'hyperliquid'].map(ccxtLeverageProblem)).toEqual([undefined, undefined, undefined, undefined]);
    expect(ccxtLeverageProblem('kraken')).toBe('ccxt kraken has no setLeverage, so the connector cannot set the account\'s leverage');
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError } from './ConfigError.ts';
import { validConfig, writeConfig } from './configFixtures.ts';
import { loadConfig } from './loadConfig.ts';
import { planWorkers } from './planWorkers.ts';
import { workerEnvironment } from './workerEnvironment.ts';

const SECRETS = JSON.stringify({ venueCredentials: [{ venue: 'sim-bybit', account: 'demo', apiKey: 'file-key-3333', secret: 'file-secret-4444' }] });
const config = writeConfig(validConfig(), { 'secrets.json': SECRETS });
const SECRET_ENV = { SIM_A_KEY: 'env-key-1111', SIM_A_SECRET: 'env-secret-2222', BYBIT_KEY: 'k', BYBIT_SECRET: 's', DESK_API_KEYS: 'desk:trader:0123456789abcdef01234567' };

function environment(instance: string, env: NodeJS.ProcessEnv = {}, path = config): NodeJS.ProcessEnv {
  return workerEnvironment({ ...SECRET_ENV, ...env, CROSSVENUE_CONFIG: path, CROSSVENUE_INSTANCE: instance });
}

function linesOf(run: () => unknown): string[] {
  try {
    run();
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).lines;
  }
}

describe('workerEnvironment', () => {
  it('leaves the environment as it is without CROSSVENUE_INSTANCE', () => {
    const env = { CROSSVENUE_CONFIG: config, ROUTER_ACCOUNTS: 'a|b' };
    expect(workerEnvironment(env)).toBe(env);
    expect(() => workerEnvironment({ CROSSVENUE_INSTANCE: 'router' })).toThrow('CROSSVENUE_CONFIG: expected the config file that instance "router" (CROSSVENUE_INSTANCE) belongs to');
  });

  it('gives a process its settings from the config, its secrets resolved from the environment', () => {
    const env = environment('ccxt-connector.sim-binance-a.demo');
    const planned = planWorkers(loadConfig(config)).find((process) => process.id === 'ccxt-connector.sim-binance-a.demo')!;
    expect(env).toMatchObject({ ...planned.env, VENUE_API_KEY: 'env-key-1111', VENUE_API_SECRET: 'env-secret-2222' });
    expect(environment('gateway').CROSSVENUE_API_KEYS).toBe(SECRET_ENV.DESK_API_KEYS);
  });

  it('resolves credentials from a secrets file', () => {
    expect(environment('ccxt-connector.sim-bybit.demo')).toMatchObject({ VENUE_API_KEY: 'file-key-3333', VENUE_API_SECRET: 'file-secret-4444', VENUE_NAME: 'sim-bybit' });
  });

  it('resolves a wallet from a secrets file, and names a field the entry lacks', () => {
    const withWallet = validConfig();
    withWallet.venues.push({ id: 'hl-testnet', ccxt: 'hyperliquid', sandbox: true });
    withWallet.accounts.push({ venue: 'hl-testnet', account: 'main', portfolio: 'desk-1', credentials: { secretsFile: 'secrets.json' } });
    const entry = { venue: 'hl-testnet', account: 'main', walletAddress: '0xwallet-7777' };
    const complete = writeConfig(withWallet, { 'secrets.json': JSON.stringify({ venueCredentials: [{ ...entry, privateKey: '0xkey-8888' }] }) });
    expect(environment('ccxt-connector.hl-testnet.main', {}, complete)).toMatchObject({ VENUE_WALLET_ADDRESS: '0xwallet-7777', VENUE_PRIVATE_KEY: '0xkey-8888' });
    const noKey = writeConfig(withWallet, { 'secrets.json': JSON.stringify({ venueCredentials: [entry] }) });
    expect(linesOf(() => environment('ccxt-connector.hl-testnet.main', {}, noKey))).toEqual([
      expect.stringMatching(/^accounts\[3\]\.credentials\.secretsFile: secrets file \/.*secrets\.json: the venueCredentials entry for venue "hl-testnet" account "main" has no "privateKey"$/),
    ]);
  });

  it('lets a variable already set override one value of the config', () => {
    const env = environment('router', { KAFKA_BROKERS: 'elsewhere:9092', METRICS_PORT: '' });
    expect(env.KAFKA_BROKERS).toBe('elsewhere:9092');
    // An empty variable is not a value: the config's METRICS_PORT stands.
    expect(env.METRICS_PORT).toBe(planWorkers(loadConfig(config)).find((process) => process.id === 'router')!.env.METRICS_PORT);
    expect(env.ROUTER_ACCOUNTS).toBe('sim-binance-a|demo,sim-bybit|demo,bybit-testnet|main');
    // An overridden secret is not looked up: its reference need not resolve.
    expect(environment('ccxt-connector.sim-binance-a.demo', { VENUE_API_KEY: 'given', VENUE_API_SECRET: 'given-too', SIM_A_KEY: '' })).toMatchObject({ VENUE_API_KEY: 'given' });
  });

  it('names the config field and the variable of a secret that does not resolve, never a value', () => {
    expect(linesOf(() => environment('ccxt-connector.sim-binance-a.demo', { SIM_A_SECRET: '' }))).toEqual([
      'accounts[0].credentials.env.secret: environment variable SIM_A_SECRET is not set (VENUE_API_SECRET of ccxt-connector.sim-binance-a.demo)',
    ]);
    const noEntry = writeConfig(validConfig(), { 'secrets.json': JSON.stringify({ venueCredentials: [{ venue: 'sim-bybit', account: 'other', apiKey: 'x-5555', secret: 'y-6666' }] }) });
    const lines = linesOf(() => environment('ccxt-connector.sim-bybit.demo', {}, noEntry));
    expect(lines).toEqual([expect.stringMatching(/^accounts\[1\]\.credentials\.secretsFile: secrets file \/.*secrets\.json has no venueCredentials entry for venue "sim-bybit" account "demo"$/)]);
    const notJson = writeConfig(validConfig(), { 'secrets.json': '{"venueCredentials": [secret-7777' });
    expect(linesOf(() => environment('ccxt-connector.sim-bybit.demo', {}, notJson))).toEqual([expect.stringMatching(/^accounts\[1\]\.credentials\.secretsFile: cannot read secrets file \/.*secrets\.json \(not JSON\)$/)]);
  });

  it('knows further replicas of a worker that shares its partitions, with the ports the supervisor planned', () => {
    const planned = planWorkers(loadConfig(config), { replicas: { router: 3 } }).find((process) => process.id === 'router-3')!;
    expect(environment('router-3').METRICS_PORT).toBe(planned.env.METRICS_PORT);
    expect(linesOf(() => environment('gateway-2'))).toEqual([expect.stringMatching(/^CROSSVENUE_INSTANCE: "gateway-2" is not a process of .*; its processes: simulated-venue, ccxt-connector.sim-binance-a.demo, /)]);
  });

  it('stops with the config\'s problems when the file is wrong', () => {
    const wrong = writeConfig({ ...validConfig(), router: { symbols: ['BTC/USDT'], accounts: ['x|y'] } });
    expect(linesOf(() => environment('router', {}, wrong))).toEqual(['router.accounts[0]: unknown account "x|y"']);
  });

  it('starts no process of a config that lists an account twice', () => {
    const twice = validConfig();
    twice.accounts.push({ ...twice.accounts[0] });
    expect(linesOf(() => environment('ccxt-connector.sim-binance-a.demo', {}, writeConfig(twice)))).toEqual([
      'accounts[3]: sim-binance-a|demo (portfolio "desk-1") is also accounts[0] (portfolio "desk-1"); an account is listed once, in exactly one portfolio',
    ]);
  });
});

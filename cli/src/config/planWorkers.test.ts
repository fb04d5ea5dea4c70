import { parseRiskLimits } from '@crossvenue/processors';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './ConfigError.ts';
import { validConfig, writeConfig, type DraftConfig } from './configFixtures.ts';
import { loadConfig } from './loadConfig.ts';
import { planWorkers, type WorkerProcess } from './planWorkers.ts';

function plan(change: (config: DraftConfig) => void = () => undefined, replicas?: Record<string, number>): WorkerProcess[] {
  const config = validConfig();
  change(config);
  const path = writeConfig(config);
  return planWorkers(loadConfig(path), { replicas });
}

const byId = (processes: WorkerProcess[], id: string) => processes.find((process) => process.id === id)!;

describe('planWorkers', () => {
  it('plans one connector per account, each with its venue, account, portfolio, symbols and credentials by reference', () => {
    const processes = plan();
    const simA = byId(processes, 'ccxt-connector.sim-binance-a.demo');
    expect(simA.env).toMatchObject({
      VENUE_ID: 'binance', VENUE_NAME: 'sim-binance-a', ACCOUNT: 'demo', PORTFOLIO: 'desk-1', INSTRUMENTS: 'BTC/USDT,ETH/USDT', SYMBOLS: 'BTC/USDT,ETH/USDT',
      VENUE_REST_URL: 'http://127.0.0.1:18090', VENUE_WS_URL: 'ws://127.0.0.1:18090',
    });
    expect(simA.secrets).toEqual({ VENUE_API_KEY: { env: 'SIM_A_KEY' }, VENUE_API_SECRET: { env: 'SIM_A_SECRET' } });
    // sim-bybit is the third demo venue: SIM_PORT + 2.
    const simBybit = byId(processes, 'ccxt-connector.sim-bybit.demo');
    expect(simBybit.env.VENUE_REST_URL).toBe('http://127.0.0.1:18092');
    expect(simBybit.secrets.VENUE_API_SECRET).toEqual({ file: expect.stringMatching(/secrets\.json$/), key: 'venueCredentials[sim-bybit|demo].secret' });
    const testnet = byId(processes, 'ccxt-connector.bybit-testnet.main');
    expect(testnet.env).toMatchObject({ VENUE_ID: 'bybit', VENUE_SANDBOX: 'true' });
    expect(testnet.env.VENUE_REST_URL).toBeUndefined();
    expect(byId(processes, 'simulated-venue').env.SIM_PORT).toBe('18090');
    expect(byId(processes, 'router').env.ROUTER_ACCOUNTS).toBe('sim-binance-a|demo,sim-bybit|demo,bybit-testnet|main');
  });

  it('references each credential the venue needs: a passphrase named in the config, a wallet from the secrets file', () => {
    const processes = plan((c) => {
      c.venues.push({ id: 'okx-demo', ccxt: 'okx', sandbox: true }, { id: 'hl-testnet', ccxt: 'hyperliquid', sandbox: true });
      c.accounts.push(
        { venue: 'okx-demo', account: 'main', portfolio: 'desk-1', credentials: { env: { apiKey: 'OKX_KEY', secret: 'OKX_SECRET', passphrase: 'OKX_PASSPHRASE' } } },
        { venue: 'hl-testnet', account: 'main', portfolio: 'desk-1', credentials: { secretsFile: 'secrets.json' } },
      );
    });
    expect(byId(processes, 'ccxt-connector.okx-demo.main').secrets).toEqual({
      VENUE_API_KEY: { env: 'OKX_KEY' }, VENUE_API_SECRET: { env: 'OKX_SECRET' }, VENUE_API_PASSPHRASE: { env: 'OKX_PASSPHRASE' },
    });
    expect(byId(processes, 'ccxt-connector.hl-testnet.main').secrets).toEqual({
      VENUE_WALLET_ADDRESS: { file: expect.stringMatching(/secrets\.json$/), key: 'venueCredentials[hl-testnet|main].walletAddress' },
      VENUE_PRIVATE_KEY: { file: expect.stringMatching(/secrets\.json$/), key: 'venueCredentials[hl-testnet|main].privateKey' },
    });
  });

  it('has market data published once per venue, by its first account', () => {
    const processes = plan((c) => c.accounts.push({ venue: 'sim-bybit', account: 'second', portfolio: 'desk-1', credentials: { env: { apiKey: 'K2', secret: 'S2' } } }));
    expect(byId(processes, 'ccxt-connector.sim-bybit.demo').env.SYMBOLS).toBe('BTC/USDT,ETH/USDT');
    expect(byId(processes, 'ccxt-connector.sim-bybit.second').env.SYMBOLS).toBeUndefined();
    expect(byId(processes, 'ccxt-connector.sim-bybit.second').env.INSTRUMENTS).toBe('BTC/USDT,ETH/USDT');
  });

  it('gives the execution worker the portfolio\'s limits, as parseRiskLimits reads them', () => {
    const limits = parseRiskLimits(JSON.parse(byId(plan(), 'execution').env.RISK_LIMITS_JSON!));
    expect(limits.portfolio.maxOrderNotional?.toFixed()).toBe('100000');
    expect(limits.portfolio.priceBand?.toFixed()).toBe('0.05');
  });

  it('maps the infrastructure onto the endpoint and security settings, passwords by reference, ClickHouse to the audit sink only', () => {
    const processes = plan((c) => {
      c.infrastructure = {
        kafka: { brokers: ['k1:9093', 'k2:9093'], sasl: { mechanism: 'scram-sha-512', username: 'desk', password: { env: 'KAFKA_PW' } }, tls: true, caFile: 'ca.pem' },
        schemaRegistry: { url: 'https://registry:8081', username: 'desk', password: { env: 'REGISTRY_PW' } },
        clickhouse: { url: 'http://clickhouse:8123', username: 'audit', password: { env: 'CLICKHOUSE_PW' } },
      };
    });
    for (const process of processes) {
      expect(process.env).toMatchObject({
        KAFKA_BROKERS: 'k1:9093,k2:9093', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'desk', KAFKA_TLS: 'true',
        KAFKA_TLS_CA_FILE: expect.stringMatching(/^\/.*\/ca\.pem$/), SCHEMA_REGISTRY_URL: 'https://registry:8081', SCHEMA_REGISTRY_USERNAME: 'desk',
      });
      expect(process.secrets).toMatchObject({ KAFKA_SASL_PASSWORD: { env: 'KAFKA_PW' }, SCHEMA_REGISTRY_PASSWORD: { env: 'REGISTRY_PW' } });
      expect(Object.keys(process.env).some((key) => key.endsWith('PASSWORD'))).toBe(false);
      expect(process.env.CLICKHOUSE_URL !== undefined).toBe(process.worker === 'audit-sink');
    }
    expect(byId(processes, 'audit-sink').env).toMatchObject({ CLICKHOUSE_URL: 'http://clickhouse:8123', CLICKHOUSE_USERNAME: 'audit' });
    expect(byId(processes, 'audit-sink').secrets.CLICKHOUSE_PASSWORD).toEqual({ env: 'CLICKHOUSE_PW' });
  });

  it('gives the gateway its port and keys by reference, or names the secrets file it reads, and its backtest runs folder', () => {
    expect(byId(plan(), 'gateway')).toMatchObject({ env: { GATEWAY_PORT: '8080' }, secrets: { CROSSVENUE_API_KEYS: { env: 'DESK_API_KEYS' } } });
    const fromFile = byId(plan((c) => (c.gateway = { port: 8081, host: '0.0.0.0', apiKeys: { secretsFile: 'keys.json' }, backtestsDir: 'runs' })), 'gateway');
    expect(fromFile.env).toMatchObject({ GATEWAY_PORT: '8081', GATEWAY_HOST: '0.0.0.0', CROSSVENUE_SECRETS_FILE: expect.stringMatching(/\/keys\.json$/), CROSSVENUE_BACKTESTS_DIR: expect.stringMatching(/^\/.*\/runs$/) });
    expect(fromFile.secrets).toEqual({});
  });

  it('plans replicas of the workers that share partitions, each with a METRICS_PORT of its own', () => {
    const processes = plan((c) => (c.workers = { metricsPortBase: 9600, replicas: { router: 2 } }), { 'audit-sink': 3 });
    expect(processes.map((process) => process.id)).toEqual([
      'simulated-venue', 'ccxt-connector.sim-binance-a.demo', 'ccxt-connector.sim-bybit.demo', 'ccxt-connector.bybit-testnet.main',
      'router', 'router-2', 'execution', 'positions', 'reconciler', 'audit-sink', 'audit-sink-2', 'audit-sink-3', 'gateway',
    ]);
    const ports = processes.map((process) => Number(process.env.METRICS_PORT));
    expect(new Set(ports).size).toBe(processes.length);
    expect(Math.min(...ports)).toBe(9600);
    expect(byId(processes, 'router-2').env.ROUTER_ACCOUNTS).toBe(byId(processes, 'router').env.ROUTER_ACCOUNTS);
    // A replica's port does not depend on another worker's replica count: a worker computes its own.
    expect(byId(plan((c) => (c.workers = { metricsPortBase: 9600 })), 'audit-sink').env.METRICS_PORT).toBe(byId(processes, 'audit-sink').env.METRICS_PORT);
    expect(byId(plan((c) => (c.workers = { metricsPortBase: 9600 }), { 'audit-sink': 2 }), 'audit-sink-2').env.METRICS_PORT).toBe(byId(processes, 'audit-sink-2').env.METRICS_PORT);
  });

  it('refuses replicas of a worker that cannot share its partitions, with the reason', () => {
    const refused = (() => {
      try {
        plan(undefined, { 'simulated-venue': 2, router: 2, gateway: 3, arbitrage: 2, nobody: 1 });
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).lines;
      }
    })();
    expect(refused).toEqual([
      '--replicas simulated-venue=2: simulated-venue runs one instance: it serves the demo venues on fixed ports',
      '--replicas gateway=3: gateway runs one instance: one gateway listens on gateway.port',
      '--replicas arbitrage=2: arbitrage runs one instance: there is one per arbitrage entry; its open groups and inventory are in its one process',
      '--replicas nobody=1: unknown worker "nobody"; known: simulated-venue, ccxt-connector, router, execution, positions, reconciler, audit-sink, gateway, strategy, synchronizer, arbitrage',
    ]);
  });

  it('plans one process per strategy, with its module, portfolio and settings, a built-in by name and a module by absolute path', () => {
    const config = validConfig();
    config.strategies = [
      { name: 'revert-btc', module: 'mid-reversion', portfolio: 'desk-1', settings: { instrument: 'BTC/USDT', clip: '0.01', maxPosition: '0.05' } },
      { name: 'mine', module: 'mine.ts', portfolio: 'desk-1' },
    ];
    const processes = planWorkers(loadConfig(writeConfig(config, { 'mine.ts': 'export default () => ({ instruments: [] });\n' })));
    expect(processes.map((process) => process.id).slice(-2)).toEqual(['strategy.revert-btc', 'strategy.mine']);
    expect(byId(processes, 'strategy.revert-btc').env).toMatchObject({
      STRATEGY_NAME: 'revert-btc',
      STRATEGY_MODULE: 'mid-reversion',
      PORTFOLIO: 'desk-1',
      STRATEGY_SETTINGS_JSON: '{"instrument":"BTC/USDT","clip":"0.01","maxPosition":"0.05"}',
    });
    expect(byId(processes, 'strategy.mine').env.STRATEGY_MODULE).toMatch(/^\/.+\/mine\.ts$/);
    expect(byId(processes, 'strategy.mine').env.STRATEGY_SETTINGS_JSON).toBeUndefined();
    expect(new Set(processes.map((process) => process.env.METRICS_PORT)).size).toBe(processes.length);
  });

  it('plans no simulated-venue worker when no venue is simulated', () => {
    const processes = plan((c) => {
      c.venues = c.venues.slice(2);
      c.accounts = c.accounts.slice(2);
    });
    expect(processes.map((process) => process.worker)).toEqual(['ccxt-connector', 'router', 'execution', 'positions', 'reconciler', 'audit-sink', 'gateway']);
  });
});

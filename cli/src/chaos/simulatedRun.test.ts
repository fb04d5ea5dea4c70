import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, planWorkers } from '../config/index.ts';
import { writeSimulatedConfig } from './simulatedRun.ts';

const PORTS = { simulator: 26090, gateway: 26080, metricsBase: 26464 };

describe('writeSimulatedConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simulated-config-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("with the run's own venues, accounts, Kafka, registry and ClickHouse: a config that checks, plans no simulated-venue worker and points every process there", () => {
    const file = writeSimulatedConfig(dir, PORTS, '{ router: 1, audit-sink: 1 }', {
      moreAccounts: [{ venue: 'sim-binance-a', account: 'desk-2' }],
      secretsFile: join(dir, 'chaos.secrets.json'),
      kafkaBrokers: ['127.0.0.1:31092'],
      schemaRegistryUrl: 'http://127.0.0.1:31081/apis/ccompat/v7',
      clickhouseUrl: 'http://127.0.0.1:31234',
    });
    const processes = planWorkers(loadConfig(file));
    const ids = processes.map(({ id }) => id);
    expect(ids).not.toContain('simulated-venue');
    expect(ids.filter((id) => id.startsWith('ccxt-connector.'))).toEqual([
      'ccxt-connector.sim-binance-a.demo',
      'ccxt-connector.sim-binance-b.demo',
      'ccxt-connector.sim-bybit.demo',
      'ccxt-connector.sim-binance-a.desk-2',
    ]);
    const env = (id: string) => processes.find((process) => process.id === id)!.env;
    expect(env('ccxt-connector.sim-binance-a.desk-2')).toMatchObject({ VENUE_REST_URL: 'http://127.0.0.1:26090', PORTFOLIO: 'demo' });
    // The demo account's connector publishes the venue's market data, the second account's does not.
    expect(env('ccxt-connector.sim-binance-a.demo').SYMBOLS).toBeDefined();
    expect(env('ccxt-connector.sim-binance-a.desk-2').SYMBOLS).toBeUndefined();
    expect(env('ccxt-connector.sim-bybit.demo').VENUE_WS_URL).toBe('ws://127.0.0.1:26092');
    expect(env('audit-sink').CLICKHOUSE_URL).toBe('http://127.0.0.1:31234');
    for (const { id, env } of processes) expect(env, id).toMatchObject({ KAFKA_BROKERS: '127.0.0.1:31092', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:31081/apis/ccompat/v7' });
    expect(env('router').ROUTER_ACCOUNTS).toContain('sim-binance-a|desk-2');
  });
});

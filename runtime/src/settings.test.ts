import { describe, expect, it } from 'vitest';
import { resolveEndpoints } from './endpoints.ts';
import { SettingError, settings } from './settings.ts';

describe('settings', () => {
  it('uses the fallback when a key is unset or blank', () => {
    expect(settings.port('METRICS_PORT', 9464, {})).toBe(9464);
    expect(settings.port('METRICS_PORT', 9464, { METRICS_PORT: '  ' })).toBe(9464);
  });

  it.each([
    ['port', () => settings.port('METRICS_PORT', 1, { METRICS_PORT: '70000' }), 'METRICS_PORT: expected a TCP port (1-65535), got "70000"'],
    ['url', () => settings.httpUrl('CLICKHOUSE_URL', '', { CLICKHOUSE_URL: 'localhost:8123' }), 'CLICKHOUSE_URL: expected an http(s) URL such as http://127.0.0.1:8123, got "localhost:8123"'],
    ['brokers', () => settings.brokerList('KAFKA_BROKERS', [], { KAFKA_BROKERS: 'a:1,b' }), 'KAFKA_BROKERS: expected a comma-separated list of host:port, got "a:1,b"'],
    ['integer', () => settings.positiveInteger('POLL_INTERVAL_MS', 1, { POLL_INTERVAL_MS: '1.5' }), 'POLL_INTERVAL_MS: expected a positive integer, got "1.5"'],
  ])('refuses a bad %s with one line naming the key and what is expected', (_kind, read, message) => {
    expect(read).toThrow(SettingError);
    expect(read).toThrow(message);
  });
});

describe('resolveEndpoints', () => {
  it('points at the local stack by default', () => {
    expect(resolveEndpoints({})).toEqual({
      kafkaBrokers: ['127.0.0.1:19092'],
      schemaRegistryUrl: 'http://127.0.0.1:18081/apis/ccompat/v7',
      clickhouseUrl: 'http://127.0.0.1:18123',
      external: false,
    });
  });

  it('uses an existing stack named by the environment', () => {
    const endpoints = resolveEndpoints({
      KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092',
      SCHEMA_REGISTRY_URL: 'http://registry:8081/',
      CLICKHOUSE_URL: 'https://clickhouse:8443',
    });
    expect(endpoints).toEqual({
      kafkaBrokers: ['kafka-1:9092', 'kafka-2:9092'],
      schemaRegistryUrl: 'http://registry:8081',
      clickhouseUrl: 'https://clickhouse:8443',
      external: true,
    });
  });
});

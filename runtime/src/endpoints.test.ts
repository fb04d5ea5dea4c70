import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kafkaJsSecurity } from './bus/kafkaAccess.ts';
import { resolveEndpoints } from './endpoints.ts';
import { SettingError } from './settings.ts';

const folder = mkdtempSync(join(tmpdir(), 'crossvenue-endpoints-'));
const caFile = join(folder, 'ca.pem');
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
writeFileSync(caFile, PEM);
const notPem = join(folder, 'ca.txt');
writeFileSync(notPem, 'not a certificate');

const PASSWORD = 'pw-7f3a!recognisable';
const SASL = { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'crossvenue', KAFKA_SASL_PASSWORD: PASSWORD };

describe('resolveEndpoints: security settings', () => {
  it('has no security parts when none is set', () => {
    const endpoints = resolveEndpoints({});
    expect(endpoints.kafkaSecurity).toBeUndefined();
    expect(endpoints.registryAuth).toBeUndefined();
    expect(endpoints.clickhouseAuth).toBeUndefined();
  });

  it('reads SASL/SCRAM over TLS with a private CA, registry basic auth and a ClickHouse user', () => {
    const endpoints = resolveEndpoints({
      ...SASL,
      KAFKA_TLS: 'true',
      KAFKA_TLS_CA_FILE: caFile,
      SCHEMA_REGISTRY_USERNAME: 'registry-user',
      SCHEMA_REGISTRY_PASSWORD: 'registry-pw',
      CLICKHOUSE_USERNAME: 'crossvenue',
      CLICKHOUSE_PASSWORD: ' spaces are part of it ',
    });
    expect(endpoints.kafkaSecurity).toEqual({
      sasl: { mechanism: 'scram-sha-512', username: 'crossvenue', password: PASSWORD },
      tls: { ca: PEM },
    });
    expect(endpoints.registryAuth).toEqual({ username: 'registry-user', password: 'registry-pw' });
    expect(endpoints.clickhouseAuth).toEqual({ username: 'crossvenue', password: ' spaces are part of it ' });
  });

  it('turns them into the kafkajs client options', () => {
    const { kafkaSecurity } = resolveEndpoints({ ...SASL, KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256', KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: caFile });
    expect(kafkaJsSecurity(kafkaSecurity)).toEqual({
      ssl: { ca: [PEM] },
      sasl: { mechanism: 'scram-sha-256', username: 'crossvenue', password: PASSWORD },
    });
    // TLS without a CA file trusts Node's roots; neither set means plain connections.
    expect(kafkaJsSecurity(resolveEndpoints({ KAFKA_TLS: 'true' }).kafkaSecurity)).toEqual({ ssl: true });
    expect(kafkaJsSecurity(resolveEndpoints({ KAFKA_TLS: 'false' }).kafkaSecurity)).toEqual({});
  });

  it.each([
    ['a user without a password', { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'crossvenue' }, 'KAFKA_SASL_PASSWORD: expected a password when KAFKA_SASL_USERNAME is set'],
    ['a password without a user', { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_PASSWORD: PASSWORD }, 'KAFKA_SASL_USERNAME: expected a user name when KAFKA_SASL_PASSWORD is set'],
    ['credentials without a mechanism', { KAFKA_SASL_USERNAME: 'crossvenue', KAFKA_SASL_PASSWORD: PASSWORD }, 'KAFKA_SASL_MECHANISM: expected scram-sha-256 or scram-sha-512, got ""'],
    ['a mechanism without credentials', { KAFKA_SASL_MECHANISM: 'scram-sha-512' }, 'KAFKA_SASL_USERNAME: expected a user name when KAFKA_SASL_MECHANISM is set'],
    ['an unknown mechanism', { ...SASL, KAFKA_SASL_MECHANISM: 'plain' }, 'KAFKA_SASL_MECHANISM: expected scram-sha-256 or scram-sha-512, got "plain"'],
    ['a TLS flag that is not a boolean', { KAFKA_TLS: 'yes' }, 'KAFKA_TLS: expected true or false, got "yes"'],
    ['a CA file without TLS', { KAFKA_TLS_CA_FILE: caFile }, 'KAFKA_TLS_CA_FILE: expected to be set only with KAFKA_TLS=true'],
    ['a CA file that is not there', { KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: join(folder, 'missing.pem') }, 'KAFKA_TLS_CA_FILE: expected a readable PEM file of CA certificates (ENOENT)'],
    ['a CA file that is not PEM', { KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: notPem }, 'KAFKA_TLS_CA_FILE: expected a PEM file of CA certificates'],
    ['a registry user without a password', { SCHEMA_REGISTRY_USERNAME: 'u' }, 'SCHEMA_REGISTRY_PASSWORD: expected a password when SCHEMA_REGISTRY_USERNAME is set'],
    ['a ClickHouse password without a user', { CLICKHOUSE_PASSWORD: PASSWORD }, 'CLICKHOUSE_USERNAME: expected a user name when CLICKHOUSE_PASSWORD is set'],
  ])('refuses %s with one line naming the setting, never the password', (_case, env, message) => {
    let error: unknown;
    try {
      resolveEndpoints(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SettingError);
    const text = (error as Error).message;
    expect(text).toContain(message);
    expect(text).not.toContain('\n');
    expect(text).not.toContain(PASSWORD);
  });
});

describe('resolveEndpoints: KAFKA_NAMESPACE', () => {
  it('takes a prefix Kafka allows in names, and refuses one it does not, naming the setting', () => {
    expect(resolveEndpoints({}).kafkaNamespace).toBeUndefined();
    expect(resolveEndpoints({ KAFKA_NAMESPACE: 'desk-b.' }).kafkaNamespace).toBe('desk-b.');
    expect(() => resolveEndpoints({ KAFKA_NAMESPACE: 'desk b/' })).toThrow(SettingError);
    expect(() => resolveEndpoints({ KAFKA_NAMESPACE: 'desk b/' })).toThrow(/KAFKA_NAMESPACE/);
  });
});

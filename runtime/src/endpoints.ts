import { readFileSync } from 'node:fs';
import { settings, SettingError } from './settings.ts';

/**
 * The ports of the local development stack that `crossvenue stack up` starts. They are chosen away
 * from each product's default so that a developer's own Kafka or ClickHouse is never touched.
 * The secured broker (SASL_SSL, see infra's `startSecureKafka`) is a second Kafka of its own.
 */
export const LOCAL_STACK = {
  kafkaPort: 19092,
  kafkaControllerPort: 19093,
  kafkaSecurePort: 19094,
  kafkaSecureControllerPort: 19095,
  registryPort: 18081,
  clickhouseHttpPort: 18123,
  clickhouseTcpPort: 19000,
} as const;

export interface Credentials {
  username: string;
  /** A secret: never logged, never in an error message. */
  password: string;
}

const SASL_MECHANISMS = ['scram-sha-256', 'scram-sha-512'] as const;
type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** How a Kafka client authenticates and encrypts; absent parts are off. */
export interface KafkaSecurity {
  /** SASL/SCRAM: the broker's listener is SASL_SSL (with `tls`) or SASL_PLAINTEXT. */
  sasl?: Credentials & { mechanism: SaslMechanism };
  /** TLS; `ca` (PEM) replaces Node's trusted roots, e.g. for a private CA. */
  tls?: { ca?: string };
}

export interface Endpoints {
  kafkaBrokers: string[];
  /** Base URL of a Confluent-compatible schema registry REST API. */
  schemaRegistryUrl: string;
  clickhouseUrl: string;
  /** True when every endpoint comes from the environment (an existing stack, not ours). */
  external: boolean;
  /** Set when KAFKA_SASL_* or KAFKA_TLS say so. */
  kafkaSecurity?: KafkaSecurity;
  /** HTTP basic auth for the registry (SCHEMA_REGISTRY_USERNAME/PASSWORD). */
  registryAuth?: Credentials;
  /** ClickHouse user (CLICKHOUSE_USERNAME/PASSWORD); without it the server's `default` user. */
  clickhouseAuth?: Credentials;
  /**
   * KAFKA_NAMESPACE: a prefix for every topic, consumer group and transactional id (NamespacedBus),
   * so that a whole pipeline (a chaos run, a test) shares a cluster with others without reading
   * their records; unset, the catalogue's names.
   */
  kafkaNamespace?: string;
}

type Env = Record<string, string | undefined>;

/**
 * Where the servers are: `KAFKA_BROKERS`, `SCHEMA_REGISTRY_URL`, `CLICKHOUSE_URL`, else the local
 * stack; and how to authenticate to them (`KAFKA_SASL_*`, `KAFKA_TLS*`, `SCHEMA_REGISTRY_USERNAME`/
 * `_PASSWORD`, `CLICKHOUSE_USERNAME`/`_PASSWORD`). A bad or half-given setting is a SettingError
 * naming it; a password is never part of the message.
 */
export function resolveEndpoints(env: Env = process.env): Endpoints {
  const kafkaSecurity = resolveKafkaSecurity(env);
  const registryAuth = credentials(env, 'SCHEMA_REGISTRY_USERNAME', 'SCHEMA_REGISTRY_PASSWORD');
  const clickhouseAuth = credentials(env, 'CLICKHOUSE_USERNAME', 'CLICKHOUSE_PASSWORD');
  const kafkaNamespace = value(env, 'KAFKA_NAMESPACE');
  if (kafkaNamespace !== undefined && !/^[A-Za-z0-9._-]+$/.test(kafkaNamespace)) throw new SettingError('KAFKA_NAMESPACE', 'letters, digits, ".", "_" or "-"', kafkaNamespace);
  return {
    kafkaBrokers: settings.brokerList('KAFKA_BROKERS', [`127.0.0.1:${LOCAL_STACK.kafkaPort}`], env),
    schemaRegistryUrl: settings.httpUrl(
      'SCHEMA_REGISTRY_URL',
      `http://127.0.0.1:${LOCAL_STACK.registryPort}/apis/ccompat/v7`,
      env,
    ),
    clickhouseUrl: settings.httpUrl('CLICKHOUSE_URL', `http://127.0.0.1:${LOCAL_STACK.clickhouseHttpPort}`, env),
    external: Boolean(env.KAFKA_BROKERS && env.SCHEMA_REGISTRY_URL && env.CLICKHOUSE_URL),
    ...(kafkaSecurity && { kafkaSecurity }),
    ...(registryAuth && { registryAuth }),
    ...(clickhouseAuth && { clickhouseAuth }),
    ...(kafkaNamespace && { kafkaNamespace }),
  };
}

const value = (env: Env, key: string) => {
  const raw = env[key]?.trim();
  return raw ? raw : undefined;
};

/** Both or neither: a user without a password (or the reverse) is a mistake, not anonymous access. */
function credentials(env: Env, userKey: string, passwordKey: string): Credentials | undefined {
  const username = value(env, userKey);
  // Passwords are taken as given: leading or trailing spaces may be part of them.
  const password = env[passwordKey] || undefined;
  if (username === undefined && password === undefined) return undefined;
  if (username === undefined) throw new SettingError(userKey, `a user name when ${passwordKey} is set`, '');
  if (password === undefined) throw new SettingError(passwordKey, `a password when ${userKey} is set`, '');
  return { username, password };
}

function resolveKafkaSecurity(env: Env): KafkaSecurity | undefined {
  const sasl = resolveSasl(env);
  const tls = resolveTls(env);
  if (!sasl && !tls) return undefined;
  return { ...(sasl && { sasl }), ...(tls && { tls }) };
}

function resolveSasl(env: Env): KafkaSecurity['sasl'] {
  const mechanism = value(env, 'KAFKA_SASL_MECHANISM');
  const pair = credentials(env, 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD');
  if (mechanism === undefined && pair === undefined) return undefined;
  const known = SASL_MECHANISMS.find((name) => name === mechanism?.toLowerCase());
  if (!known) throw new SettingError('KAFKA_SASL_MECHANISM', SASL_MECHANISMS.join(' or '), mechanism ?? '');
  if (!pair) throw new SettingError('KAFKA_SASL_USERNAME', `a user name when KAFKA_SASL_MECHANISM is set`, '');
  return { mechanism: known, ...pair };
}

function resolveTls(env: Env): KafkaSecurity['tls'] {
  const flag = value(env, 'KAFKA_TLS')?.toLowerCase();
  const caFile = value(env, 'KAFKA_TLS_CA_FILE');
  if (flag !== undefined && flag !== 'true' && flag !== 'false') throw new SettingError('KAFKA_TLS', 'true or false', env.KAFKA_TLS ?? '');
  if (flag !== 'true') {
    if (caFile !== undefined) throw new SettingError('KAFKA_TLS_CA_FILE', 'to be set only with KAFKA_TLS=true', caFile);
    return undefined;
  }
  return caFile === undefined ? {} : { ca: readCaFile(caFile) };
}

function readCaFile(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SettingError('KAFKA_TLS_CA_FILE', `a readable PEM file of CA certificates (${reason})`, path);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new SettingError('KAFKA_TLS_CA_FILE', 'a PEM file of CA certificates (no BEGIN CERTIFICATE block)', path);
  }
  return pem;
}

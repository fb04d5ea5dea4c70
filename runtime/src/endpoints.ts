import { settings } from './settings.ts';

/**
 * The ports of the local development stack that `crossvenue stack up` starts. They are chosen away
 * from each product's default so that a developer's own Kafka or ClickHouse is never touched.
 */
export const LOCAL_STACK = {
  kafkaPort: 19092,
  kafkaControllerPort: 19093,
  registryPort: 18081,
  clickhouseHttpPort: 18123,
  clickhouseTcpPort: 19000,
} as const;

export interface Endpoints {
  kafkaBrokers: string[];
  /** Base URL of a Confluent-compatible schema registry REST API. */
  schemaRegistryUrl: string;
  clickhouseUrl: string;
  /** True when every endpoint comes from the environment (an existing stack, not ours). */
  external: boolean;
}

/** Where the servers are: `KAFKA_BROKERS`, `SCHEMA_REGISTRY_URL`, `CLICKHOUSE_URL`, else the local stack. */
export function resolveEndpoints(env: Record<string, string | undefined> = process.env): Endpoints {
  return {
    kafkaBrokers: settings.brokerList('KAFKA_BROKERS', [`127.0.0.1:${LOCAL_STACK.kafkaPort}`], env),
    schemaRegistryUrl: settings.httpUrl(
      'SCHEMA_REGISTRY_URL',
      `http://127.0.0.1:${LOCAL_STACK.registryPort}/apis/ccompat/v7`,
      env,
    ),
    clickhouseUrl: settings.httpUrl('CLICKHOUSE_URL', `http://127.0.0.1:${LOCAL_STACK.clickhouseHttpPort}`, env),
    external: Boolean(env.KAFKA_BROKERS && env.SCHEMA_REGISTRY_URL && env.CLICKHOUSE_URL),
  };
}

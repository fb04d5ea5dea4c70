import { applyClickHouseSchema, stackUp } from '@crossvenue/infra';
import { createLogger, resolveEndpoints } from '@crossvenue/runtime';
import { dropKafkajsTimeoutWarning } from '@crossvenue/runtime/process';

/**
 * Global setup of the integration project: the real Kafka, schema registry and ClickHouse must be
 * there. Servers named by KAFKA_BROKERS / SCHEMA_REGISTRY_URL / CLICKHOUSE_URL are only checked;
 * the others are installed and started by the project's own stack scripts (a no-op when already
 * up). The stack is left running afterwards so the next run starts at once; `crossvenue stack down`
 * stops it.
 */
export default async function setup(): Promise<void> {
  // The stack's Kafka check runs kafkajs in this (vitest's main) process.
  dropKafkajsTimeoutWarning();
  const logger = createLogger('test-stack');
  const status = await stackUp();
  if (!status.healthy) {
    const down = status.services.filter((service) => !service.healthy).map((service) => `${service.name}: ${service.detail}`);
    throw new Error(`integration tests need the stack: ${down.join('; ')}`);
  }
  const { clickhouseUrl, clickhouseAuth } = resolveEndpoints();
  const applied = await applyClickHouseSchema(clickhouseUrl, clickhouseAuth);
  logger.info({ files: applied }, 'stack healthy, ClickHouse schema applied');
}

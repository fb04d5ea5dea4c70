import { RegistryCodec } from '../codec/RegistryCodec.ts';
import { resolveEndpoints, type Endpoints } from '../runtime/endpoints.ts';
import type { Logger } from '../runtime/logger.ts';
import type { WorkerMetrics } from '../runtime/metrics.ts';
import { KafkaBus } from './KafkaBus.ts';
import { MessageBus } from './MessageBus.ts';

/** The message bus of a distributed worker: Kafka for transport, the schema registry for contracts. */
export function kafkaMessageBus(clientId: string, logger: Logger, options: { endpoints?: Endpoints; metrics?: WorkerMetrics } = {}): MessageBus {
  const endpoints = options.endpoints ?? resolveEndpoints();
  const bus = new KafkaBus({ brokers: endpoints.kafkaBrokers, clientId, logger });
  return new MessageBus(bus, new RegistryCodec(endpoints.schemaRegistryUrl), logger, options.metrics);
}

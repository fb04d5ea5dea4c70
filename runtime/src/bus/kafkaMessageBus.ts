import { RegistryCodec } from '@crossvenue/schemas';
import { resolveEndpoints, type Endpoints } from '../endpoints.ts';
import type { Logger } from '../logger.ts';
import type { WorkerMetrics } from '../metrics.ts';
import { kafkaBusForSetting } from './kafkaClient.ts';
import { MessageBus } from './MessageBus.ts';
import { NamespacedBus } from './NamespacedBus.ts';

export interface KafkaMessageBusOptions {
  endpoints?: Endpoints;
  metrics?: WorkerMetrics;
  /** Runs under its own topics, groups and transactional ids (see NamespacedBus). */
  namespace?: string;
}

/**
 * The message bus of a distributed worker: Kafka for transport (through the client KAFKA_CLIENT
 * names), the schema registry for contracts, each reached with the credentials the endpoints carry
 * (SASL/TLS, basic auth).
 */
export function kafkaMessageBus(clientId: string, logger: Logger, options: KafkaMessageBusOptions = {}): MessageBus {
  const endpoints = options.endpoints ?? resolveEndpoints();
  // KAFKA_CLIENT: the client library (kafkajs by default; README, Benchmarks, Kafka clients).
  const kafka = kafkaBusForSetting(process.env.KAFKA_CLIENT, { brokers: endpoints.kafkaBrokers, clientId, logger, security: endpoints.kafkaSecurity });
  const namespace = options.namespace ?? endpoints.kafkaNamespace;
  const bus = namespace ? new NamespacedBus(kafka, namespace) : kafka;
  return new MessageBus(bus, new RegistryCodec(endpoints.schemaRegistryUrl, endpoints.registryAuth), logger, options.metrics);
}

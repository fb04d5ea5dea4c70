// Runtime: logging, settings, endpoints, metrics.
export { createLogger, REDACTED_PATHS, type Logger } from './runtime/logger.ts';
export { settings, SettingError } from './runtime/settings.ts';
export { LOCAL_STACK, resolveEndpoints, type Endpoints } from './runtime/endpoints.ts';
export { WorkerMetrics } from './runtime/metrics.ts';

// Contracts: Avro schemas, their types, and the topic catalogue.
export { decimal, ref, type Infer, type RecordSchema } from './avro/AvroSchema.ts';
export { contractViolations, DECIMAL_STRING } from './avro/contract.ts';
export * from './messages/BookSnapshot.ts';
export { TOPICS, ALL_TOPICS, MARKET_PARTITIONS, type TopicKey } from './topics/catalogue.ts';
export { defineTopic, type TopicDefinition, type MessageOf } from './topics/TopicDefinition.ts';

// The bus port, its two implementations, and the codecs.
export * from './bus/Bus.ts';
export { InProcessBus } from './bus/InProcessBus.ts';
export { KafkaBus, type KafkaBusOptions } from './bus/KafkaBus.ts';
export { partitionForKey } from './bus/partitioner.ts';
export { MessageBus, DEAD_LETTER_HEADERS, type Delivered, type SubscribeOptions } from './bus/MessageBus.ts';
export { BadRecordError, type Codec, type CodecTopic } from './codec/Codec.ts';
export { RegistryCodec, subjectOf } from './codec/RegistryCodec.ts';
export { LocalCodec } from './codec/LocalCodec.ts';
export { waitFor } from './testing/waitFor.ts';

// Runtime: logging, settings, endpoints, metrics.
export * from './runtime/index.ts';

// Contracts: Avro schemas, their types, the topic catalogue, and the shared domain types.
export { decimal, ref, type AvroSchema, type FieldSchema, type Infer, type RecordSchema } from './avro/AvroSchema.ts';
export { namedDefinitions, resolveNamed } from './avro/definitions.ts';
export { contractViolations, DECIMAL_STRING } from './avro/contract.ts';
export * from './messages/index.ts';
export * from './domain/index.ts';
export { TOPICS, ALL_TOPICS, MARKET_PARTITIONS, EXECUTION_PARTITIONS, type TopicKey } from './topics/catalogue.ts';
export { defineTopic, type TopicDefinition, type MessageOf } from './topics/TopicDefinition.ts';

// The bus port, its two implementations, and the codecs.
export * from './bus/Bus.ts';
export { InProcessBus } from './bus/InProcessBus.ts';
export { KafkaBus, type KafkaBusOptions } from './bus/KafkaBus.ts';
export { partitionForKey } from './bus/partitioner.ts';
export { kafkaMessageBus } from './bus/kafkaMessageBus.ts';
export { NamespacedBus } from './bus/NamespacedBus.ts';
export { TransactionalOutbox } from './bus/TransactionalOutbox.ts';
export { MessageBus, DEAD_LETTER_HEADERS, type Delivered, type SubscribeOptions } from './bus/MessageBus.ts';
export { BadRecordError, type Codec, type CodecTopic } from './codec/Codec.ts';
export { RegistryCodec, subjectOf } from './codec/RegistryCodec.ts';
export { LocalCodec } from './codec/LocalCodec.ts';
export { waitFor } from './testing/waitFor.ts';

// The message contracts: Avro schemas and their types, the topic catalogue, codecs, and the
// shared domain (order states, symbols, decimals, ids). No transport: that is @crossvenue/runtime.
export { decimal, ref, type AvroSchema, type FieldSchema, type Infer, type RecordSchema } from './avro/AvroSchema.ts';
export { namedDefinitions, resolveNamed } from './avro/definitions.ts';
export { contractViolations, DECIMAL_STRING } from './avro/contract.ts';
export * from './messages/index.ts';
export * from './domain/index.ts';
export { TOPICS, ALL_TOPICS, AUDITED_TOPICS, MARKET_PARTITIONS, EXECUTION_PARTITIONS, type TopicKey } from './topics/catalogue.ts';
export { defineTopic, type TopicDefinition, type MessageOf } from './topics/TopicDefinition.ts';
export type { TopicSpec } from './topics/TopicSpec.ts';
export { BadRecordError, type Codec, type CodecTopic } from './codec/Codec.ts';
export { RegistryCodec, subjectOf } from './codec/RegistryCodec.ts';
export { LocalCodec } from './codec/LocalCodec.ts';

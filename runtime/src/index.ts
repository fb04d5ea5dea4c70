// The runtime of a worker: the bus port and its implementations (Kafka, in-process, namespaced,
// progress commits), typed publishing and consuming with dead letters, and the process
// basics (logging, settings, endpoints, metrics).
export * from './process.ts';
export { backoffMs, type Backoff } from './backoff.ts';
export * from './bus/Bus.ts';
export { InProcessBus } from './bus/InProcessBus.ts';
export { KafkaBus } from './bus/KafkaBus.ts';
// Loads @platformatic/kafka only when asked for it: the runtime still imports on Node 20.
export { createKafkaBus, kafkaClientNamed, type KafkaClientName } from './bus/kafkaClient.ts';
export { kafkaMessageBus } from './bus/kafkaMessageBus.ts';
export { ProgressCommits } from './bus/ProgressCommits.ts';
export { partitionForKey } from './bus/partitioner.ts';
export { MessageBus, DEAD_LETTER_HEADERS, type Delivered, type ValueOf } from './bus/MessageBus.ts';
export { readRanges, type RangeStart } from './bus/readRanges.ts';

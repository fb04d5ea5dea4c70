// What every process runs on, without the bus (`@crossvenue/runtime/process`): logging, settings,
// endpoints (with Kafka's client security options), metrics. Tools such as the stack scripts import
// this without loading Kafka or Avro.
export { createLogger, type Logger } from './logger.ts';
export { settings, SettingError } from './settings.ts';
export { LOCAL_STACK, resolveEndpoints, type Credentials, type Endpoints, type KafkaSecurity } from './endpoints.ts';
export { KafkaAccessError, kafkaJsSecurity } from './bus/kafkaAccess.ts';
export { WorkerMetrics, type AccountDrift, type ExecutionMetrics, type FollowerDrift, type Readiness, type SynchronizerMetrics, type VenueOrderMetrics } from './metrics.ts';
export { seededRandom } from './seededRandom.ts';
export { dropKafkajsTimeoutWarning } from './bus/kafkajsTimeoutWarning.ts';

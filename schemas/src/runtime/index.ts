// The runtime alone (`@crossvenue/schemas/runtime`): logging, settings, endpoints, metrics.
// Tools such as the stack scripts import this without loading Kafka, Avro or the registry client.
export { createLogger, REDACTED_PATHS, type Logger } from './logger.ts';
export { settings, SettingError } from './settings.ts';
export { LOCAL_STACK, resolveEndpoints, type Endpoints } from './endpoints.ts';
export { WorkerMetrics } from './metrics.ts';
export { seededRandom } from './seededRandom.ts';

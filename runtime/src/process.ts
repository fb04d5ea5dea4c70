// What every process runs on, without the bus (`@crossvenue/runtime/process`): logging, settings,
// endpoints, metrics. Tools such as the stack scripts import this without loading Kafka or Avro.
export { createLogger, type Logger } from './logger.ts';
export { settings, SettingError } from './settings.ts';
export { LOCAL_STACK, resolveEndpoints, type Endpoints } from './endpoints.ts';
export { WorkerMetrics } from './metrics.ts';
export { seededRandom } from './seededRandom.ts';

/** The configuration file: what `crossvenue config check`, `crossvenue up` and `crossvenue worker` use of it. */
export type { Config } from './Config.ts';
export { ConfigError } from './ConfigError.ts';
export { loadConfig } from './loadConfig.ts';
export { planWorkers, type PlanOptions, type SecretRef, type WorkerProcess } from './planWorkers.ts';
export { workerEnvironment } from './workerEnvironment.ts';

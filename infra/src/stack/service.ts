import type { Endpoints, Logger } from '@crossvenue/runtime/process';
import type { Health } from './health.ts';
import type { ServiceName } from './serviceName.ts';
import type { StackPaths } from './paths.ts';
import type { Prerequisite } from './prerequisites.ts';
import type { LaunchSpec } from './processes.ts';

/** One server of the local stack: how to reach and check it, and how to install and start our own. */
export interface ServiceDefinition {
  name: ServiceName;
  /** Set, it points at an existing server, which is then only checked, never installed or started. */
  envVar: 'KAFKA_BROKERS' | 'SCHEMA_REGISTRY_URL' | 'CLICKHOUSE_URL';
  endpoint: (endpoints: Endpoints) => string;
  /** Loopback ports our own server binds; something else answering there blocks the start. */
  ports: number[];
  prerequisites: Prerequisite[];
  healthTimeoutMs: number;
  /** Checks whatever answers at `endpoint`, ours or not, with the credentials `endpoints` carry. */
  check: (endpoint: string, endpoints: Endpoints) => Promise<Health>;
  /** Installs what is missing and renders configuration (safe to repeat), then says how to launch. */
  prepare: (paths: StackPaths, logger: Logger) => Promise<LaunchSpec>;
}

import { connect } from 'node:net';
import { stackStatus, stackUp } from '@crossvenue/infra';
import type { Logger } from '@crossvenue/runtime/process';
import { resolveEndpoints } from '@crossvenue/runtime/process';
import { RunError } from './RunError.ts';
import type { WorkerProcess } from '../config/index.ts';

/**
 * A variable set where `up` runs reaches every worker and overrides the config's value in each
 * (contract 1). That is meant for a value all share (KAFKA_BROKERS); for one the config sets
 * differently per process (METRICS_PORT, ACCOUNT) it would make them all the same, so it is refused.
 */
export function assertNoFlatteningOverride(processes: WorkerProcess[], env: NodeJS.ProcessEnv): void {
  const flattened = new Set<string>();
  for (const key of Object.keys(env)) {
    if (!env[key]) continue;
    const values = new Set(processes.flatMap((process) => (key in process.env ? [process.env[key]] : [])));
    if (values.size > 1) flattened.add(key);
  }
  if (flattened.size > 0) {
    const keys = [...flattened].sort().join(', ');
    throw new RunError(`${keys} set in this environment would override the config's different value for each process; unset it to run them all`);
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function isPortInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 1_000 });
    const settle = (inUse: boolean) => {
      socket.destroy();
      resolve(inUse);
    };
    socket.once('connect', () => settle(true)).once('timeout', () => settle(false)).once('error', () => settle(false));
  });
}

/** Every port a process will listen on (its `*_PORT` settings) must be free, else the worker would die at start. */
export async function assertPortsFree(processes: WorkerProcess[], configPath: string): Promise<void> {
  const ports = processes.flatMap(({ id, env }) =>
    Object.entries(env)
      .filter(([key, value]) => key.endsWith('_PORT') && Number(value) > 0)
      .map(([key, value]) => ({ id, key, port: Number(value) })),
  );
  const inUse = await Promise.all(ports.map(({ port }) => isPortInUse(port)));
  const taken = ports.filter((_, index) => inUse[index]);
  if (taken.length > 0) {
    const named = taken.map(({ id, key, port }) => `${port} (${key} of ${id})`).join(', ');
    const [ports, are] = taken.length === 1 ? ['port', 'is'] : ['ports', 'are'];
    throw new RunError(`${ports} ${named} ${are} already in use; stop what listens there or change it in ${configPath}`);
  }
}

const ENDPOINT_VARIABLES = ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'CLICKHOUSE_URL'] as const;

/**
 * Kafka, the registry and ClickHouse as the workers will see them (`environments`: each process's
 * settings from the config under the environment's overrides; only the audit sink has ClickHouse's):
 * the local stack's addresses are started with `stack up` when needed; any other is only checked,
 * and `up` refuses to start against one that does not answer.
 */
export async function ensureInfrastructure(environments: NodeJS.ProcessEnv[], logger: Logger): Promise<void> {
  const merged: NodeJS.ProcessEnv = Object.assign({}, ...environments);
  const endpoints = resolveEndpoints(merged);
  const local = resolveEndpoints({});
  const isLocal =
    endpoints.kafkaBrokers.join(',') === local.kafkaBrokers.join(',') &&
    endpoints.schemaRegistryUrl === local.schemaRegistryUrl &&
    endpoints.clickhouseUrl === local.clickhouseUrl;
  if (isLocal) {
    logger.info('the config names the local stack; starting what of it is not running');
    const ownStack = { ...merged };
    for (const key of ENDPOINT_VARIABLES) delete ownStack[key];
    await stackUp({ env: ownStack });
    return;
  }
  const status = await stackStatus({ env: merged });
  const down = status.services.filter((service) => !service.healthy);
  if (down.length > 0) {
    throw new RunError(`the config's ${down.map((service) => `${service.name} at ${service.endpoint} does not answer (${service.detail})`).join('; ')}`);
  }
}

import { sep } from 'node:path';
import { createLogger, resolveEndpoints, type Endpoints, type Logger } from '@crossvenue/runtime/process';
import { clickhouseService } from './clickhouse.ts';
import { StackError } from './errors.ts';
import { checkSafely, describeError, waitUntilHealthy, type Health } from './health.ts';
import { kafkaService } from './kafka.ts';
import { isPortInUse, redactUrl } from './net.ts';
import { stackPaths, type StackPaths } from './paths.ts';
import { installChdb } from './chdb.ts';
import { installPrerequisites, TEST_TOOLS, type Prerequisite } from './prerequisites.ts';
import { isAlive, runningPid, startDetached, stopProcess } from './processes.ts';
import { schemaRegistryService } from './registry.ts';
import type { ServiceDefinition } from './service.ts';
import type { ServiceName } from './serviceName.ts';
import { formatDuration } from './time.ts';

const SERVICES: readonly ServiceDefinition[] = [kafkaService, schemaRegistryService, clickhouseService];

/** Kafka's controlled shutdown takes a few seconds; a server still running after this is killed. */
const STOP_GRACE_MS = 30_000;

export interface ServiceStatus {
  name: ServiceName;
  healthy: boolean;
  /** Broker list or URL, password redacted. */
  endpoint: string;
  /** Set when the server is one this stack started and it is still running. */
  pid?: number;
  detail: string;
  /** The server's log file; empty for an external server (one named by its environment variable). */
  log: string;
}

export interface StackStatus {
  services: ServiceStatus[];
  healthy: boolean;
}

export interface StackOptions {
  /** Where endpoints and CROSSVENUE_STACK_DIR are read from; defaults to process.env. */
  env?: Record<string, string | undefined>;
}

interface StackContext {
  env: Record<string, string | undefined>;
  paths: StackPaths;
  endpoints: Endpoints;
  /** Every server we start has the stack folder on its command line; see runningPid. */
  marker: string;
  logger: Logger;
}

/** What one service looks like right now. */
interface Observation {
  service: ServiceDefinition;
  endpoint: string;
  /** Named by its environment variable: only checked, never installed, started or stopped. */
  external: boolean;
  health: Health;
  pid?: number;
}

function stackContext({ env = process.env }: StackOptions): StackContext {
  const paths = stackPaths(env);
  return { env, paths, endpoints: resolveEndpoints(env), marker: paths.root + sep, logger: createLogger('stack') };
}

async function observe(service: ServiceDefinition, context: StackContext): Promise<Observation> {
  const endpoint = service.endpoint(context.endpoints);
  // resolveEndpoints().external means all three variables are set, so checking each one covers it.
  const external = Boolean(context.env[service.envVar]?.trim());
  const health = await checkSafely(() => service.check(endpoint, context.endpoints));
  const pid = external ? undefined : runningPid(context.paths.pidFile(service.name), context.marker);
  return { service, endpoint, external, health, pid };
}

function toStatus({ service, endpoint, external, health, pid }: Observation, context: StackContext): ServiceStatus {
  let detail = health.detail;
  if (external) detail = `external (${service.envVar}): ${health.detail}`;
  else if (health.healthy && pid === undefined) detail = `${health.detail}; not started by this stack`;
  else if (!health.healthy) detail = pid === undefined ? `not running: ${health.detail}` : `started, not healthy yet: ${health.detail}`;
  return {
    name: service.name,
    healthy: health.healthy,
    endpoint: redactUrl(endpoint),
    ...(pid !== undefined && { pid }),
    detail,
    log: external ? '' : context.paths.log(service.name),
  };
}

/** Checks every service; starts nothing. */
export async function stackStatus(options: StackOptions = {}): Promise<StackStatus> {
  const context = stackContext(options);
  const observations = await Promise.all(SERVICES.map((service) => observe(service, context)));
  const services = observations.map((observation) => toStatus(observation, context));
  return { services, healthy: services.every((service) => service.healthy) };
}

/**
 * Makes every service healthy: reuses whatever already answers on a service's endpoint (ours or
 * not), waits for one of ours that is still starting, and installs and starts the rest, in parallel.
 * A service named by its environment variable is only waited for. Throws the first StackError after
 * every service has finished trying, so that one failure does not leave the others half started.
 */
export async function stackUp(options: StackOptions = {}): Promise<StackStatus> {
  const context = stackContext(options);
  const { logger } = context;
  const began = Date.now();
  const observations = await Promise.all(SERVICES.map((service) => observe(service, context)));

  const toStart = observations.filter((o) => !o.external && !o.health.healthy && o.pid === undefined);
  const missing = await installPrerequisites([...toStart.flatMap((o) => o.service.prerequisites), ...TEST_TOOLS], logger);
  for (const tool of TEST_TOOLS) {
    const problem = missing.get(tool);
    if (problem) logger.warn(`${tool.description} is missing (${problem}); the tests that use it will fail or skip`);
  }
  const chdbProblem = await installChdb(context.paths, logger);
  if (chdbProblem) logger.warn(`chDB (the current ClickHouse engine) is missing (${chdbProblem}); the tests that check the SQL on it will skip`);

  const results = await Promise.allSettled(
    observations.map((observation) =>
      bringUp(observation, missing, context).catch((error: unknown) => {
        // Anything unexpected (a folder that cannot be created, a program that cannot be spawned) still
        // gets the one-line form that names the service.
        if (error instanceof StackError) throw error;
        const log = observation.external ? undefined : context.paths.log(observation.service.name);
        throw new StackError(observation.service.name, describeError(error), log);
      }),
    ),
  );
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as StackError] : []));
  for (const failure of failures) logger.error(failure.message);
  if (failures.length > 0) throw failures[0];

  logger.info(`stack up in ${formatDuration(Date.now() - began)}`);
  return stackStatus(options);
}

async function bringUp(observation: Observation, missing: Map<Prerequisite, string>, context: StackContext): Promise<void> {
  const { service, endpoint, external, health } = observation;
  const { paths, marker, logger } = context;
  const shown = redactUrl(endpoint);
  const check = () => service.check(endpoint, context.endpoints);

  if (health.healthy) {
    logger.info(`${service.name} already healthy on ${shown}; reusing it`);
    return;
  }
  if (external) {
    logger.info(`waiting for ${service.name} at ${shown} (${service.envVar})`);
    try {
      await waitUntilHealthy(check, { service: service.name, timeoutMs: service.healthTimeoutMs });
    } catch (error) {
      throw error instanceof StackError ? new StackError(service.name, `${service.envVar}=${shown}: ${error.reason}`) : error;
    }
    return;
  }

  const log = paths.log(service.name);
  let pid = observation.pid;
  if (pid === undefined) {
    await assertStartable(service, missing);
    const launch = await service.prepare(paths, logger);
    pid = startDetached({ ...launch, logFile: log, pidFile: paths.pidFile(service.name) });
    logger.info(`started ${service.name} (pid ${pid}); waiting up to ${formatDuration(service.healthTimeoutMs)}`);
  } else {
    logger.info(`${service.name} (pid ${pid}) is still starting; waiting for it`);
  }
  const running = pid;
  const waitBegan = Date.now();
  await waitUntilHealthy(check, {
    service: service.name,
    log,
    timeoutMs: service.healthTimeoutMs,
    isRunning: () => isAlive(running, marker),
  });
  logger.info(`${service.name} healthy on ${shown} in ${formatDuration(Date.now() - waitBegan)}`);
}

/** Fails early, with the remedy, when a prerequisite is missing or another program holds a port. */
async function assertStartable(service: ServiceDefinition, missing: Map<Prerequisite, string>): Promise<void> {
  for (const prerequisite of service.prerequisites) {
    const problem = missing.get(prerequisite);
    if (problem) {
      throw new StackError(
        service.name,
        `prerequisite missing: ${problem}; install ${prerequisite.description} yourself or set ${service.envVar}`,
      );
    }
  }
  for (const port of service.ports) {
    if (await isPortInUse(port)) {
      throw new StackError(
        service.name,
        `port ${port} is in use by a program that is not a healthy ${service.name}; stop it or set ${service.envVar}`,
      );
    }
  }
}

/** Stops the servers this stack started (by pid file); leaves anything else running. */
export async function stackDown(options: StackOptions = {}): Promise<StackStatus> {
  const context = stackContext(options);
  const { paths, marker, logger } = context;
  await Promise.all(
    SERVICES.map(async (service) => {
      const began = Date.now();
      const outcome = await stopProcess(paths.pidFile(service.name), marker, STOP_GRACE_MS);
      if (outcome === 'not running') logger.info(`${service.name}: nothing of ours running`);
      else logger.info(`${service.name} ${outcome} in ${formatDuration(Date.now() - began)}`);
    }),
  );
  return stackStatus(options);
}

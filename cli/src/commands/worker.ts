import { hostname } from 'node:os';
import { unhandledRejectionVerdict } from '@crossvenue/connectors';
import {
  createLogger,
  kafkaMessageBus,
  type Logger,
  type Readiness,
  resolveEndpoints,
  SettingError,
  settings,
  WorkerMetrics,
} from '@crossvenue/runtime';
import { parseArgs, UsageError } from '../args.ts';
import { workerEnvironment } from '../config/workerEnvironment.ts';
import { arbitrageWorker } from '../workers/arbitrage.ts';
import { auditSinkWorker } from '../workers/auditSink.ts';
import { ccxtConnectorWorker } from '../workers/ccxtConnector.ts';
import { executionWorker } from '../workers/execution.ts';
import { gatewayWorker } from '../workers/gateway.ts';
import { nativeBooksWorker } from '../workers/nativeBooks.ts';
import { notifierWorker } from '../workers/notifier.ts';
import { positionsWorker } from '../workers/positions.ts';
import { reconcilerWorker } from '../workers/reconciler.ts';
import { routerWorker } from '../workers/router.ts';
import { simulatedVenueWorker } from '../workers/simulatedVenue.ts';
import { strategyWorker } from '../workers/strategy.ts';
import { synchronizerWorker } from '../workers/synchronizer.ts';
import type { WorkerDefinition } from '../workers/WorkerDefinition.ts';
import { untilSignal } from '../untilSignal.ts';

/** In pipeline order: venues, connectors, router, risk and execution, positions, reconciler, audit, gateway, notifier, strategies, synchronizer, arbitrage. */
const WORKERS: WorkerDefinition[] = [
  simulatedVenueWorker,
  ccxtConnectorWorker,
  nativeBooksWorker,
  routerWorker,
  executionWorker,
  positionsWorker,
  reconcilerWorker,
  auditSinkWorker,
  gatewayWorker,
  notifierWorker,
  strategyWorker,
  synchronizerWorker,
  arbitrageWorker,
];

/**
 * `crossvenue worker <name>`: one worker in its own process against Kafka, the schema registry and
 * ClickHouse, with Prometheus metrics, /healthz and /readyz on METRICS_PORT. Stops cleanly on
 * SIGINT or SIGTERM, or when the process that started it is gone (see untilSignal).
 */
export async function workerCommand(argv: string[]): Promise<number> {
  const { positionals } = parseArgs(argv);
  const [name, ...extra] = positionals;
  if (!name) {
    console.log(HELP);
    return 2;
  }
  const worker = WORKERS.find((candidate) => candidate.name === name);
  if (!worker) throw new UsageError(`unknown worker "${name}"; known: ${WORKERS.map((w) => w.name).join(', ')}`);
  if (extra.length > 0) throw new UsageError(`worker ${name} takes its settings from the environment, not "${extra[0]}"; run 'crossvenue worker --help'`);

  const env = workerEnvironment(process.env);
  const logger = createLogger(worker.name);
  guardUnhandledRejections(logger);
  const endpoints = resolveEndpoints(env);
  const metricsPort = settings.port('METRICS_PORT', 9464, env);
  const metrics = new WorkerMetrics(worker.name);
  metrics.restarts.set(restarts(env));
  const messages = kafkaMessageBus(`${worker.name}@${hostname()}`, logger, { endpoints, metrics });

  logger.info({ kafka: endpoints.kafkaBrokers, topics: worker.topics.map((t) => t.name) }, `starting ${worker.name}`);
  let phase: 'starting' | 'running' | 'stopping' = 'starting';
  const readiness = (): Readiness => {
    if (phase !== 'running') return { ready: false, reason: `${worker.name} is ${phase}` };
    const catchUp = messages.catchUp();
    return catchUp.caughtUp ? { ready: true } : { ready: false, reason: catchUp.reason };
  };
  // Served first: a taken port fails before anything else starts, and /healthz answers during start-up.
  const server = await serveMetrics(metrics, metricsPort, env.METRICS_HOST?.trim() || '127.0.0.1', readiness);
  // Whatever was opened is closed again, also when start-up fails, so the process exits with the error.
  try {
    await messages.prepare(worker.topics);
    const running = await worker.start({ messages, logger, endpoints, env, metrics });
    phase = 'running';
    logger.info({ metrics: `http://127.0.0.1:${metricsPort}/metrics` }, `${worker.name} running; Ctrl-C stops it`);
    const reason = await untilSignal();
    phase = 'stopping';
    logger.info(`${reason}: stopping ${worker.name}`);
    await running.stop();
  } finally {
    await messages.bus.close();
    server.close();
  }
  logger.info(`${worker.name} stopped`);
  return 0;
}

/** A metrics port another process holds: one line naming the setting, not a listen stack trace. */
class PortInUseError extends SettingError {
  constructor(port: number) {
    super('METRICS_PORT', 'a free port', String(port));
    this.message = `METRICS_PORT: port ${port} is already in use (another worker on this host?); set METRICS_PORT to a free port`;
  }
}

async function serveMetrics(metrics: WorkerMetrics, port: number, host: string, readiness: () => Readiness) {
  try {
    return await metrics.serve(port, { host, readiness });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new PortInUseError(port);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new SettingError('METRICS_HOST', 'an address of this host, such as 127.0.0.1 or 0.0.0.0', host);
    throw error;
  }
}

/** How often the supervisor (`crossvenue up`) has restarted this worker; 0 when started by hand. */
function restarts(env: NodeJS.ProcessEnv): number {
  const raw = env.CROSSVENUE_RESTARTS?.trim() ?? '';
  if (raw === '') return 0;
  if (!/^\d+$/.test(raw)) throw new SettingError('CROSSVENUE_RESTARTS', 'a whole number (set by crossvenue up)', raw);
  return Number(raw);
}

/**
 * A rejection nobody handled: a ccxt network error (a websocket closed while opening, which ccxt
 * 4.5.84 leaks; see unhandledRejectionVerdict) is one log line and the worker keeps running;
 * anything else is an unknown bug and stops the worker with a non-zero exit code.
 */
function guardUnhandledRejections(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    const err = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
    if (unhandledRejectionVerdict(reason) === 'keep-running') {
      logger.warn({ err }, 'unhandled ccxt network error (a connection dropped while opening); the stream reconnects, the worker keeps running');
      return;
    }
    logger.fatal({ err, stack: reason instanceof Error ? reason.stack : undefined }, 'unhandled promise rejection; stopping the worker');
    process.exit(1);
  });
}

export const HELP = `usage: crossvenue worker <name>

One worker in its own process against Kafka, the schema registry and ClickHouse, configured by
environment variables. Every worker reads the endpoint and security settings (KAFKA_BROKERS,
SCHEMA_REGISTRY_URL, CLICKHOUSE_URL, … in the README's configuration table), LOG_LEVEL, and:
  METRICS_PORT (default 9464; one per worker on a host) serves /metrics (Prometheus), /healthz
    (200 while it runs) and /readyz (200 once it has caught up with its input partitions, else
    503 with the reason)
  METRICS_HOST (default 127.0.0.1; 0.0.0.0 where probes come from elsewhere, as in a pod)
  CROSSVENUE_RESTARTS (set by crossvenue up: restarts so far, the crossvenue_restarts metric)
It stops cleanly on SIGINT or SIGTERM, or when the process that started it has gone.

${WORKERS.map((w) => `${w.name}\n  ${w.description}\n  settings: ${w.settings.join('; ') || 'none of its own'}`).join('\n\n')}`;

import { hostname } from 'node:os';
import { unhandledRejectionVerdict } from '@crossvenue/connectors';
import {
  createLogger,
  kafkaMessageBus,
  type Logger,
  resolveEndpoints,
  settings,
  WorkerMetrics,
} from '@crossvenue/runtime';
import { parseArgs, UsageError } from '../args.ts';
import { auditSinkWorker } from '../workers/auditSink.ts';
import { ccxtConnectorWorker } from '../workers/ccxtConnector.ts';
import { executionWorker } from '../workers/execution.ts';
import { gatewayWorker } from '../workers/gateway.ts';
import { nativeBooksWorker } from '../workers/nativeBooks.ts';
import { positionsWorker } from '../workers/positions.ts';
import { reconcilerWorker } from '../workers/reconciler.ts';
import { routerWorker } from '../workers/router.ts';
import { simulatedVenueWorker } from '../workers/simulatedVenue.ts';
import type { WorkerDefinition } from '../workers/WorkerDefinition.ts';
import { untilSignal } from '../untilSignal.ts';

/** In pipeline order: venues, connectors, router, risk and execution, positions, reconciler, audit, gateway. */
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
];

/**
 * `crossvenue worker <name>`: one worker in its own process against Kafka, the schema registry and
 * ClickHouse, with Prometheus metrics on METRICS_PORT. Stops cleanly on SIGINT or SIGTERM.
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

  const env = process.env;
  const logger = createLogger(worker.name);
  guardUnhandledRejections(logger);
  const endpoints = resolveEndpoints(env);
  const metricsPort = settings.port('METRICS_PORT', 9464, env);
  const metrics = new WorkerMetrics(worker.name);
  const messages = kafkaMessageBus(`${worker.name}@${hostname()}`, logger, { endpoints, metrics });

  logger.info({ kafka: endpoints.kafkaBrokers, topics: worker.topics.map((t) => t.name) }, `starting ${worker.name}`);
  // Whatever was opened is closed again, also when start-up fails, so the process exits with the error.
  let server: Awaited<ReturnType<WorkerMetrics['serve']>> | undefined;
  try {
    await messages.prepare(worker.topics);
    server = await metrics.serve(metricsPort);
    const running = await worker.start({ messages, logger, endpoints, env });
    logger.info({ metrics: `http://127.0.0.1:${metricsPort}/metrics` }, `${worker.name} running; Ctrl-C stops it`);
    const signal = await untilSignal();
    logger.info(`${signal}: stopping ${worker.name}`);
    await running.stop();
  } finally {
    await messages.bus.close();
    server?.close();
  }
  logger.info(`${worker.name} stopped`);
  return 0;
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
environment variables, with Prometheus metrics on METRICS_PORT. Stops cleanly on SIGINT or SIGTERM.

${WORKERS.map((w) => `${w.name}\n  ${w.description}\n  settings: METRICS_PORT, ${w.settings.join('; ') || 'none'}`).join('\n\n')}`;

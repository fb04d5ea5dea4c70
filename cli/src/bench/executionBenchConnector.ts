/**
 * The ccxt connector of the execution benchmark (processors/src/execution/execution.bench.ts): the
 * worker that `crossvenue worker ccxt-connector` runs (ccxtConnectorWorker, configured by the same
 * environment variables), in a process of its own, on Kafka and the schema registry, under the
 * benchmark's namespace (BENCH_NAMESPACE: its topics, consumer groups and transactional ids
 * prefixed, so the benchmark's orders stay off the catalogue topics a developer's run uses).
 * `crossvenue worker` takes no namespace, hence this file. Prints "ready" once it reads order
 * commands; stops on SIGINT or SIGTERM, or once the benchmark that started it is gone.
 */
import { unhandledRejectionVerdict } from '@crossvenue/connectors';
import { createLogger, kafkaMessageBus, resolveEndpoints, WorkerMetrics } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { untilSignal } from '../untilSignal.ts';
import { ccxtConnectorWorker } from '../workers/ccxtConnector.ts';

const namespace = process.env.BENCH_NAMESPACE;
if (!namespace) throw new Error('BENCH_NAMESPACE must be set');
const logger = createLogger(ccxtConnectorWorker.name, { level: process.env.LOG_LEVEL ?? 'warn' });
// As `crossvenue worker` does: a connection ccxt drops while opening is a warning, anything else a bug.
process.on('unhandledRejection', (reason) => {
  const err = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  if (unhandledRejectionVerdict(reason) === 'keep-running') return void logger.warn({ err }, 'unhandled ccxt network error; the stream reconnects');
  logger.fatal({ err }, 'unhandled promise rejection; stopping the connector');
  process.exit(1);
});
const endpoints = resolveEndpoints();
const metrics = new WorkerMetrics(ccxtConnectorWorker.name);
const messages = kafkaMessageBus(`${ccxtConnectorWorker.name}-bench`, logger, { endpoints, metrics, namespace });
try {
  await messages.prepare(ccxtConnectorWorker.topics);
  const running = await ccxtConnectorWorker.start({ messages, logger, endpoints, env: process.env, metrics });
  await waitFor('the connector reading its order commands', () => messages.catchUp().caughtUp, 60_000);
  console.log('ready');
  await untilSignal();
  await running.stop();
} finally {
  await messages.bus.close();
}
// Explicitly: ccxt's keep-alive agents and timers would hold the process open (and --cpu-prof writes at exit).
process.exit(0);

/**
 * One worker of the execution benchmark in a process of its own, as production runs it: the
 * router or the execution worker on the benchmark's private topics (BENCH_ROLE, BENCH_SUFFIX).
 * Prints "ready" once it can take intents, and stops on SIGTERM. Started by execution.bench.ts.
 */
import { randomUUID } from 'node:crypto';
import { createLogger, kafkaMessageBus, resolveEndpoints } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { RegistryCodec } from '@crossvenue/schemas';
import { parseRiskLimits } from '../risk/RiskLimits.ts';
import { RouterWorker } from '../router/RouterWorker.ts';
import { privateTopics } from './executionFixtures.ts';
import { ExecutionWorker } from './ExecutionWorker.ts';

const role = process.env.BENCH_ROLE;
const suffix = process.env.BENCH_SUFFIX;
if ((role !== 'router' && role !== 'execution') || !suffix) throw new Error('BENCH_ROLE (router or execution) and BENCH_SUFFIX must be set');
const endpoints = resolveEndpoints();
const logger = createLogger(`execution-bench-${role}`, { level: 'error' });
const topics = privateTopics(suffix);
const messages = kafkaMessageBus(`execution-bench-${role}`, logger, { endpoints });
await messages.prepare(Object.values(topics));
let worker: { stop(): Promise<void> };
if (role === 'router') {
  const router = new RouterWorker({ messages, logger, accounts: [{ venue: 'binance', account: 'main' }, { venue: 'okx', account: 'main' }], groupId: `router-bench-${suffix}`, topics });
  await router.start();
  await waitFor('the router holds both books', () => router.venuesFor('BTC/USDT').length === 2, 60_000);
  worker = router;
} else {
  const limits = parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: {} });
  const execution = new ExecutionWorker({ messages, codec: new RegistryCodec(endpoints.schemaRegistryUrl), logger, limits, name: `execution-bench-${suffix}-${randomUUID().slice(0, 4)}`, topics });
  await execution.start();
  await waitFor('the execution worker caught up', () => messages.catchUp().caughtUp, 60_000);
  worker = execution;
}
process.once('SIGTERM', () => void worker.stop().then(() => messages.bus.close()).then(() => process.exit(0)));
console.log('ready');

/**
 * One worker of the execution benchmark in a process of its own, as production runs it: the
 * router or the execution worker (BENCH_ROLE) on the catalogue topics under the benchmark's
 * namespace (BENCH_NAMESPACE: its own topics, groups and transactional ids), the router routing to
 * the venue accounts of BENCH_ACCOUNTS ("venue/account,…"). Prints "ready" once it can take
 * intents, and stops on SIGTERM or once the benchmark that started it is gone. Started by
 * execution.bench.ts.
 */
import { createLogger, kafkaMessageBus, resolveEndpoints } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { RegistryCodec, TOPICS } from '@crossvenue/schemas';
import { parseRiskLimits } from '../risk/RiskLimits.ts';
import { RouterWorker } from '../router/RouterWorker.ts';
import { ExecutionWorker } from './ExecutionWorker.ts';
import { privateTopics } from './executionFixtures.ts';

const role = process.env.BENCH_ROLE;
const namespace = process.env.BENCH_NAMESPACE;
const accounts = (process.env.BENCH_ACCOUNTS ?? '').split(',').filter(Boolean).map((pair) => {
  const [venue = '', account = ''] = pair.split('/');
  return { venue, account };
});
if ((role !== 'router' && role !== 'execution') || !namespace || accounts.length === 0) {
  throw new Error('BENCH_ROLE (router or execution), BENCH_NAMESPACE and BENCH_ACCOUNTS (venue/account,…) must be set');
}
const endpoints = resolveEndpoints();
const logger = createLogger(`execution-bench-${role}`, { level: 'error' });
const messages = kafkaMessageBus(`execution-bench-${role}`, logger, { endpoints, namespace });
// What the router and the execution worker read and write (RouterTopics, ExecutionTopics): the
// topics the tests' fixture makes private copies of, here under their catalogue names.
await messages.prepare(Object.keys(privateTopics()).map((key) => TOPICS[key as keyof typeof TOPICS]));
let worker: { stop(): Promise<void> };
if (role === 'router') {
  const router = new RouterWorker({ messages, logger, accounts, groupId: 'router-bench' });
  await router.start();
  await waitFor(`the router holds a book of ${accounts.length} venue account(s)`, () => router.venuesFor('BTC/USDT').length === accounts.length, 60_000);
  worker = router;
} else {
  const limits = parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: {} });
  const execution = new ExecutionWorker({ messages, codec: new RegistryCodec(endpoints.schemaRegistryUrl), logger, limits, name: 'execution-bench' });
  await execution.start();
  await waitFor('the execution worker caught up', () => messages.catchUp().caughtUp, 60_000);
  worker = execution;
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void worker.stop().then(() => messages.bus.close()).then(() => process.exit(0));
};
process.once('SIGTERM', stop);
// A benchmark that died without stopping it (killed, crashed) leaves it adopted by another parent.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && stop(), 1_000).unref();
console.log('ready');

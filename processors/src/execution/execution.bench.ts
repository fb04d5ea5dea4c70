/**
 * Execution path benchmark: intent → order command latency through real Kafka (intent published →
 * router → route decision → execution worker and risk check → order command read by a
 * read-committed consumer; the router and the execution worker each in a process of its own; the
 * driver answers each order with a FILLED event, as a venue would, so open orders do not pile up), at a steady rate, with the time spent in each hop (from the decision's
 * decidedAtMs and the command's createdAtMs, so millisecond resolution), beside a raw kafkajs
 * produce → consume round trip at the same rate in the same run (the floor: one hop, where the
 * path takes three). Prints p50/p99, never asserts.
 * Run: npx tsx processors/src/execution/execution.bench.ts (needs the local stack).
 * BENCH_EXECUTION_RATE (intents/s, default 1000), BENCH_EXECUTION_SECONDS (default 3).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs from 'kafkajs';
import { createLogger, kafkaMessageBus, resolveEndpoints } from '@crossvenue/runtime';
import type { Intent, OrderCommand, OrderEvent } from '@crossvenue/schemas';
import { waitFor } from '@crossvenue/runtime/testing';
import { intentMessage } from '../intents/intentFixtures.ts';
import { orderEvent } from '../risk/riskFixtures.ts';
import { oneLevelBook, privateTopics, spotMarket } from './executionFixtures.ts';

const RATE = Number(process.env.BENCH_EXECUTION_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_EXECUTION_SECONDS ?? 3);
const TICK_MS = 10;
const PER_TICK = Math.max(1, Math.round((RATE * TICK_MS) / 1000));
const TICKS = Math.round((SECONDS * 1000) / TICK_MS);
const WARM_UP = 50;

const now = () => Number(process.hrtime.bigint()) / 1e6;
const endpoints = resolveEndpoints();
// 'error': kafkajs logs each retry of the background progress transactions as a warning, which would bury the table.
const logger = createLogger('execution-bench', { level: 'error' });
const run = randomUUID().slice(0, 8);
const messages = kafkaMessageBus('execution-bench', logger, { endpoints });
const suffix = `bench-${run}`;

/**
 * Starts the router or the execution worker in a process of its own (execution.bench.worker.ts),
 * as production runs them: in one process they would share its event loop with each other and with
 * this driver, and the figures would measure that contention.
 */
async function startWorker(role: 'router' | 'execution'): Promise<ChildProcess> {
  const file = fileURLToPath(new URL('./execution.bench.worker.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, BENCH_ROLE: role, BENCH_SUFFIX: suffix }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`the ${role} process exited (${code}) before it was ready`)));
  });
  return child;
}

async function stopWorker(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Calls `send(tick)` every TICK_MS for TICKS ticks, on a fixed schedule (a late tick does not delay the next). */
async function paced(send: (tick: number) => Promise<void>): Promise<void> {
  const start = now();
  for (let tick = 0; tick < TICKS; tick += 1) {
    const wait = start + tick * TICK_MS - now();
    if (wait > 0) await sleep(wait);
    await send(tick);
  }
}

function percentiles(latencies: number[]): { p50: number; p99: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

// --- the execution path ---
const topics = privateTopics(suffix);
await messages.prepare(Object.values(topics));
await messages.publish(topics.symbols, [spotMarket('binance'), spotMarket('okx')]);
// Fresh books every second, as connectors publish them: the router ignores a book older than 5 s.
const publishBooks = () =>
  messages.publish(topics.bookSnapshots, [
    oneLevelBook('binance', { price: '100', quantity: '1000' }, { price: '99.9', quantity: '1000' }),
    oneLevelBook('okx', { price: '100.5', quantity: '1000' }, { price: '99.8', quantity: '1000' }),
  ]);
await publishBooks();
const books = setInterval(() => void publishBooks(), 1_000);
const workers = await Promise.all([startWorker('router'), startWorker('execution')]);

/** Per intent: when it was published, when the router decided it, when execution made its command (epoch ms). */
const sentAt = new Map<string, number>();
const decidedAt = new Map<string, number>();
const hops = { routed: [] as number[], commanded: [] as number[], delivered: [] as number[] };
const latencies: number[] = [];
/** Commands read before their decision (the observer reads the two topics side by side), with when. */
const early = new Map<string, { command: OrderCommand; at: number }>();
function measure(command: OrderCommand, at: number): void {
  const sent = sentAt.get(command.intentId);
  const decided = decidedAt.get(command.intentId);
  if (sent === undefined) return;
  if (decided === undefined) return void early.set(command.intentId, { command, at });
  sentAt.delete(command.intentId);
  if (command.intentId.startsWith('warm')) return;
  latencies.push(at - sent);
  hops.routed.push(decided - sent);
  hops.commanded.push(command.createdAtMs - decided);
  hops.delivered.push(at - command.createdAtMs);
}
const observer = await messages.subscribe({
  groupId: `execution-bench-observer-${run}`,
  topics: [topics.routeDecisions, topics.orderCommands],
  fromBeginning: true,
  handle: async (batch) => {
    const at = Date.now();
    const answers: OrderEvent[] = [];
    for (const { value } of batch) {
      if ('commandId' in value) {
        measure(value, at);
        // The venue's answer: every order fills at once, so open orders stay as few as a desk's.
        if (value.type === 'PLACE') answers.push(orderEvent(value, { eventId: randomUUID(), previousState: 'PENDING_NEW', event: 'FILLED', state: 'FILLED', filledQuantity: value.quantity, remainingQuantity: '0' }));
        continue;
      }
      decidedAt.set(value.intentId, value.decidedAtMs);
      const waiting = early.get(value.intentId);
      if (waiting) {
        early.delete(value.intentId);
        measure(waiting.command, waiting.at);
      }
    }
    await messages.publish(topics.orderEvents, answers);
  },
});
const intent = (id: string): Intent => intentMessage(id, { amount: '0.01', limitPrice: '101' }, { eventId: `${id}:place`, createdAtMs: Date.now() });
async function publishIntents(ids: string[]): Promise<void> {
  const at = Date.now();
  for (const id of ids) sentAt.set(id, at);
  await messages.publish(topics.intents, ids.map(intent));
}
await publishIntents(Array.from({ length: WARM_UP }, (_, i) => `warm-${i}`));
await waitFor('the warm-up intents to come out as commands', () => sentAt.size === 0, 60_000);
await paced((tick) => publishIntents(Array.from({ length: PER_TICK }, (_, i) => `i-${tick}-${i}`)));
await waitFor('every intent to come out as a command', () => latencies.length === TICKS * PER_TICK, 120_000);
clearInterval(books);
await Promise.all([observer.stop(), ...workers.map(stopWorker)]);

// --- the raw floor: kafkajs produce → consume, one hop, same rate ---
const raw = new kafkajs.Kafka({ clientId: 'execution-bench-raw', brokers: endpoints.kafkaBrokers, logLevel: kafkajs.logLevel.NOTHING });
const rawTopic = `bench.roundtrip.${run}`;
const admin = raw.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: rawTopic, numPartitions: 6 }], waitForLeaders: true });
const producer = raw.producer();
const consumer = raw.consumer({ groupId: `execution-bench-raw-${run}`, maxWaitTimeInMs: 100 });
const rawLatencies: number[] = [];
await Promise.all([producer.connect(), consumer.connect()]);
await consumer.subscribe({ topics: [rawTopic], fromBeginning: true });
await consumer.run({ eachBatch: async ({ batch }) => void batch.messages.forEach((message) => rawLatencies.push(now() - Number(message.value!.toString()))) });
await sleep(3_000); // let the group settle: a round trip measured during the join would be the join
await paced(async () => {
  const at = String(now());
  await producer.send({ topic: rawTopic, messages: Array.from({ length: PER_TICK }, (_, i) => ({ key: String(i), value: at })) });
});
await waitFor('the raw consumer to read every record', () => rawLatencies.length === TICKS * PER_TICK, 120_000);
await Promise.all([producer.disconnect(), consumer.disconnect()]);

await admin.deleteTopics({ topics: [rawTopic, ...Object.values(topics).flatMap((topic) => [topic.name, topic.deadLetter.name])] });
await admin.disconnect();
await messages.bus.close();

console.log(`execution benchmark (${new Date().toISOString()}): ${TICKS * PER_TICK} records at ~${(PER_TICK * 1000) / TICK_MS}/s over ${SECONDS} s`);
console.log(`${'what'.padEnd(62)} ${'records'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
for (const [name, values] of [
  ['Kafka: intent → order command (router, then execution)', latencies],
  ['  hop: intent published → route decided (router)', hops.routed],
  ['  hop: route decided → command made (execution)', hops.commanded],
  ['  hop: command made → read by a consumer', hops.delivered],
  ['Kafka: raw kafkajs produce → consume round trip', rawLatencies],
] as const) {
  const { p50, p99 } = percentiles(values);
  console.log(`${name.padEnd(62)} ${String(values.length).padStart(8)} ${p50.toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)}`);
}

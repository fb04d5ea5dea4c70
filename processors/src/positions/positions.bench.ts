/**
 * Positions benchmark: fills folded per second in process (in order, and shuffled with 20%
 * duplicates), and through real Kafka: N fills published to a fresh fills topic, then the time the
 * positions worker takes to consume, decode, fold and publish them, beside a raw kafkajs consume of
 * the same records in the same run (the floor the worker cannot beat). Prints, never asserts.
 * Run: npx tsx processors/src/positions/positions.bench.ts (needs the local stack for the Kafka rows).
 */
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import { createLogger, kafkaMessageBus, resolveEndpoints, seededRandom } from '@crossvenue/runtime';
import { defineTopic, TOPICS } from '@crossvenue/schemas';
import { waitFor } from '@crossvenue/runtime/testing';
import { compareFills, type PositionFill } from './PositionFill.ts';
import { PositionLedger } from './PositionLedger.ts';
import { PositionsWorker } from './PositionsWorker.ts';
import { fillMessage, randomFills, shuffledWithDuplicates } from './fillFixtures.ts';

const IN_PROCESS_FILLS = Number(process.env.BENCH_IN_PROCESS_FILLS ?? 200_000);
const KAFKA_FILLS = Number(process.env.BENCH_KAFKA_FILLS ?? 20_000);
const rows: Array<[string, number, number]> = [];

function timed(name: string, records: number, run: () => void): void {
  const started = process.hrtime.bigint();
  run();
  rows.push([name, records, Number(process.hrtime.bigint() - started) / 1e9]);
}

const fills = randomFills(seededRandom(1), IN_PROCESS_FILLS).sort(compareFills);
const shuffled = shuffledWithDuplicates(seededRandom(2), fills, 0.2);
const fold = (input: PositionFill[]) => () => {
  const ledger = new PositionLedger();
  for (const fill of input) ledger.add(fill);
  ledger.positions(); // a late fill is folded when its position is read: count that too
};
fold(fills.slice(0, 20_000))(); // warm up the JIT so the first row is not penalised
timed('in process, canonical order', fills.length, fold(fills));
timed('in process, shuffled + 20% duplicates', shuffled.length, fold(shuffled));

const endpoints = resolveEndpoints();
const logger = createLogger('positions-bench', { level: 'warn' });
const run = randomUUID().slice(0, 8);
const topics = {
  fills: defineTopic({ ...TOPICS.fills, name: `bench.fills.${run}` }),
  fundingPayments: defineTopic({ ...TOPICS.fundingPayments, name: `bench.funding-payments.${run}` }),
  balanceSnapshots: defineTopic({ ...TOPICS.balanceSnapshots, name: `bench.balance-snapshots.${run}` }),
  venueSnapshots: defineTopic({ ...TOPICS.venueSnapshots, name: `bench.venue-snapshots.${run}` }),
  positions: defineTopic({ ...TOPICS.positions, name: `bench.positions.${run}` }),
  balances: defineTopic({ ...TOPICS.balances, name: `bench.balances.${run}` }),
};
const messages = kafkaMessageBus('positions-bench', logger);
await messages.prepare(Object.values(topics));
const kafkaFills = randomFills(seededRandom(3), KAFKA_FILLS, `bench-${run}`);
for (let start = 0; start < kafkaFills.length; start += 1000) {
  await messages.publish(topics.fills, kafkaFills.slice(start, start + 1000).map(fillMessage));
}

let started = process.hrtime.bigint();
const worker = new PositionsWorker({ messages, logger, topics, groupId: `positions-bench-${run}` });
await worker.start();
await waitFor('the worker to fold every fill', () => worker.fillCount === KAFKA_FILLS, 300_000);
rows.push(['Kafka: positions worker (decode, fold, publish)', KAFKA_FILLS, Number(process.hrtime.bigint() - started) / 1e9]);
await worker.stop();

started = process.hrtime.bigint();
const raw = new kafkajs.Kafka({ clientId: 'positions-bench-raw', brokers: endpoints.kafkaBrokers, logLevel: kafkajs.logLevel.NOTHING });
const consumer = raw.consumer({ groupId: `positions-bench-raw-${run}`, maxWaitTimeInMs: 250 });
let consumed = 0;
await consumer.connect();
await consumer.subscribe({ topics: [topics.fills.name], fromBeginning: true });
await consumer.run({ eachBatch: async ({ batch }) => void (consumed += batch.messages.length) });
await waitFor('the raw consumer to read every record', () => consumed >= KAFKA_FILLS, 300_000);
rows.push(['Kafka: raw kafkajs consume of the same records', KAFKA_FILLS, Number(process.hrtime.bigint() - started) / 1e9]);
await consumer.disconnect();
await messages.bus.close();
// The run's own topics are of no use afterwards (their registry subjects stay: the registry keeps versions).
const admin = raw.admin();
await admin.connect();
await admin.deleteTopics({ topics: Object.values(topics).flatMap((topic) => [topic.name, topic.deadLetter.name]) });
await admin.disconnect();

console.log(`positions benchmark (${new Date().toISOString()})`);
console.log(`${'what'.padEnd(50)} ${'records'.padStart(9)} ${'seconds'.padStart(9)} ${'records/s'.padStart(11)}`);
for (const [name, records, seconds] of rows) {
  console.log(`${name.padEnd(50)} ${String(records).padStart(9)} ${seconds.toFixed(3).padStart(9)} ${Math.round(records / seconds).toString().padStart(11)}`);
}
console.log('Both Kafka rows start by joining a fresh consumer group; fills are published in random venue-time order (late fills refold).');

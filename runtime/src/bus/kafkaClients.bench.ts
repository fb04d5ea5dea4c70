/**
 * The Kafka client libraries side by side on the local broker, each through our Bus port and, as
 * the reference in the same run, through the library's own API with the settings the Bus gives it
 * (idempotent producer, acks=all, read_committed consumer, 250 ms fetch wait, a 10 ms first retry
 * for a transaction that meets the previous one's markers):
 *
 * - produce: BENCH_KAFKA_RECORDS records (default 50,000 of 200 bytes, 100 keys, 3 partitions) in
 *   sends of 500, each awaited: records/s;
 * - consume: the same records by a new group from the beginning: records/s from subscribing to the
 *   last record (the time to the first record, mostly the group's join, is also printed: "join ms");
 * - transaction: BENCH_KAFKA_TRANSACTIONS (default 100) transactions one after another on one
 *   transactional id, each begin + one record + commit: p50/p99 ms;
 * - latency: BENCH_KAFKA_RATE records/s (default 1,000, 10 every 10 ms) for BENCH_KAFKA_SECONDS
 *   (default 3), publish → handled by a consumer in the same process, timed with process.hrtime: p50/p99 ms.
 *   Through the Bus the publishes are not awaited one by one (SerialSender takes what queued while a
 *   send was under way, as in a worker); raw, each tick's send waits for the one before (an
 *   idempotent producer's sends to a partition must not overtake each other).
 *
 * BENCH_KAFKA_ROUNDS (default 1) repeats everything, every subject in turn, and prints each figure's
 * median; BENCH_KAFKA_CLIENTS=kafkajs,platformatic picks the libraries (both by default). Prints one
 * table, asserts nothing. Run: `npm run bench -w @crossvenue/runtime` (the local stack up; Node 24).
 *
 * The one thing tuned from a measurement, in PlatformaticKafkaBus: its transactions took 207 ms
 * (p50) here, the raw client's 1,006 ms. A CPU profile shows such a wait only as idle, so the
 * client's retry-delay hook counted the retries: 28 of 30 back-to-back transactions met
 * CONCURRENT_TRANSACTIONS on AddPartitionsToTxn and waited out the retry delay (200 ms in the Bus,
 * the client's default 1 s raw). A 10 ms first retry, as KafkaBus has, brought it to 2–14 ms (p50) in the runs since.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs from 'kafkajs';
import { resolveEndpoints } from '../endpoints.ts';
import { createLogger } from '../logger.ts';
import type { Bus } from './Bus.ts';
import { KafkaBus } from './KafkaBus.ts';
import { createKafkaBus, kafkaClientNamed, platformaticSupported, type KafkaClientName } from './kafkaClient.ts';
import { dropKafkajsTimeoutWarning } from './kafkajsTimeoutWarning.ts';

const RECORDS = Number(process.env.BENCH_KAFKA_RECORDS ?? 50_000);
const TRANSACTIONS = Number(process.env.BENCH_KAFKA_TRANSACTIONS ?? 100);
const RATE = Number(process.env.BENCH_KAFKA_RATE ?? 1_000);
const SECONDS = Number(process.env.BENCH_KAFKA_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_KAFKA_ROUNDS ?? 1);
const CLIENTS = (process.env.BENCH_KAFKA_CLIENTS ?? 'kafkajs,platformatic').split(',').map((name) => kafkaClientNamed(name.trim()));
const SEND_SIZE = 500;
const PARTITIONS = 3;
const TICK_MS = 10;
const VALUE = Buffer.alloc(200, 'x');

const brokers = resolveEndpoints().kafkaBrokers;
// Errors only: kafkajs logs each CONCURRENT_TRANSACTIONS it retries as a warning.
const logger = createLogger('kafka-clients-bench', { level: 'error' });

/** One way of talking to Kafka: a library through the Bus, or the library itself. */
interface Subject {
  name: string;
  produce(topic: string, records: Array<{ key: string; value: Buffer }>): Promise<void>;
  /** Publishes without waiting: in order, one send after another. */
  produceInOrder(topic: string, records: Array<{ key: string; value: Buffer }>): void;
  consume(topic: string, fromBeginning: boolean, onValues: (values: Buffer[]) => void): Promise<() => Promise<void>>;
  /** One transaction: begin, one record, commit. */
  transactionOnce(transactionalId: string, topic: string): Promise<void>;
  close(): Promise<void>;
}

interface Row {
  subject: string;
  produce: number;
  consume: number;
  joinMs: number;
  txP50: number;
  txP99: number;
  latencyP50: number;
  latencyP99: number;
}

function busSubject(name: string, bus: Bus): Subject {
  let queue = Promise.resolve();
  return {
    name,
    produce: (topic, records) => bus.publish(records.map(({ key, value }) => ({ topic, key, value }))),
    produceInOrder: (topic, records) => {
      queue = bus.publish(records.map(({ key, value }) => ({ topic, key, value }))).catch((error: unknown) => logger.warn({ err: String(error) }, 'publish failed'));
    },
    consume: async (topic, fromBeginning, onValues) => {
      const consumer = await bus.consume({ groupId: `bench-${randomUUID()}`, topics: [topic], fromBeginning, handleBatch: async (batch) => onValues(batch.records.map(({ value }) => value!)) });
      return () => consumer.stop();
    },
    transactionOnce: async (transactionalId, topic) => {
      const tx = await bus.transaction(transactionalId);
      await tx.publish([{ topic, key: 'k', value: VALUE }]);
      await tx.commit();
    },
    close: async () => {
      await queue;
      await bus.close();
    },
  };
}

/** Sends one after another, without the caller waiting: what a raw client needs for an idempotent producer. */
function inOrder(send: (records: Array<{ key: string; value: Buffer }>) => Promise<unknown>) {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    push: (records: Array<{ key: string; value: Buffer }>) => {
      queue = queue.then(() => send(records)).catch((error: unknown) => logger.warn({ err: String(error) }, 'send failed'));
    },
    drained: () => queue,
  };
}

function rawKafkajs(): Subject {
  const kafka = new kafkajs.Kafka({ clientId: 'bench-raw-kafkajs', brokers, logLevel: kafkajs.logLevel.ERROR });
  const settings = { idempotent: true, maxInFlightRequests: 1, createPartitioner: kafkajs.Partitioners.DefaultPartitioner };
  // The first retry of a transaction that meets the previous one's markers at 10 ms, as KafkaBus.
  const transactionRetry = { retries: 10, initialRetryTime: 10 };
  const producer = kafka.producer(settings);
  const connected = producer.connect();
  const transactional = new Map<string, Promise<kafkajs.Producer>>();
  const send = async (topic: string, messages: Array<{ key: string; value: Buffer }>) => {
    await connected;
    await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages }] });
  };
  const ordered = new Map<string, ReturnType<typeof inOrder>>();
  return {
    name: 'kafkajs raw',
    produce: send,
    produceInOrder: (topic, records) => {
      if (!ordered.has(topic)) ordered.set(topic, inOrder((messages) => send(topic, messages)));
      ordered.get(topic)!.push(records);
    },
    consume: async (topic, fromBeginning, onValues) => {
      const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}`, maxWaitTimeInMs: 250, readUncommitted: false });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning });
      await consumer.run({ eachBatch: async ({ batch }) => onValues(batch.messages.map(({ value }) => value!)) });
      return () => consumer.disconnect();
    },
    transactionOnce: async (transactionalId, topic) => {
      if (!transactional.has(transactionalId)) {
        const txProducer = kafka.producer({ ...settings, transactionalId, retry: transactionRetry });
        transactional.set(transactionalId, txProducer.connect().then(() => txProducer));
      }
      const tx = await (await transactional.get(transactionalId)!).transaction();
      await tx.send({ topic, acks: -1, messages: [{ key: 'k', value: VALUE }] });
      await tx.commit();
    },
    close: async () => {
      await Promise.all([...ordered.values()].map((queue) => queue.drained()));
      await Promise.allSettled([producer.disconnect(), ...[...transactional.values()].map(async (p) => (await p).disconnect())]);
    },
  };
}

async function rawPlatformatic(): Promise<Subject> {
  const { Consumer, FetchIsolationLevels, Producer, stringSerializer } = await import('@platformatic/kafka');
  const base = { clientId: 'bench-raw-platformatic', bootstrapBrokers: brokers };
  const settings = { ...base, idempotent: true, acks: -1, serializers: { key: stringSerializer } };
  const producer = new Producer<string, Buffer, Buffer, Buffer>(settings);
  const transactional = new Map<string, InstanceType<typeof Producer<string, Buffer, Buffer, Buffer>>>();
  const consumers: Array<{ close(force: boolean): Promise<void> }> = [];
  const send = (topic: string, records: Array<{ key: string; value: Buffer }>) => producer.send({ messages: records.map(({ key, value }) => ({ topic, key, value })) });
  const ordered = new Map<string, ReturnType<typeof inOrder>>();
  return {
    name: 'platformatic raw',
    produce: async (topic, records) => void (await send(topic, records)),
    produceInOrder: (topic, records) => {
      if (!ordered.has(topic)) ordered.set(topic, inOrder((messages) => send(topic, messages)));
      ordered.get(topic)!.push(records);
    },
    consume: async (topic, fromBeginning, onValues) => {
      const consumer = new Consumer({ ...base, groupId: `bench-${randomUUID()}`, maxWaitTime: 250, isolationLevel: FetchIsolationLevels.READ_COMMITTED });
      consumers.push(consumer);
      const stream = await consumer.consume({ topics: [topic], mode: fromBeginning ? 'earliest' : 'latest', autocommit: 1_000 });
      stream.on('data', (message) => onValues([message.value]));
      return async () => {
        await stream.close();
        await consumer.close();
      };
    },
    transactionOnce: async (transactionalId, topic) => {
      let txProducer = transactional.get(transactionalId);
      if (!txProducer) transactional.set(transactionalId, (txProducer = new Producer<string, Buffer, Buffer, Buffer>({ ...settings, transactionalId, retryDelay: 10 })));
      const tx = await txProducer.beginTransaction();
      await tx.send({ messages: [{ topic, key: 'k', value: VALUE }] });
      await tx.commit();
    },
    close: async () => {
      await Promise.all([...ordered.values()].map((queue) => queue.drained()));
      await Promise.allSettled([producer.close(), ...[...transactional.values()].map((p) => p.close()), ...consumers.map((c) => c.close(true))]);
    },
  };
}

async function subjectsOf(client: KafkaClientName): Promise<Subject[]> {
  const bus = await createKafkaBus(client, { brokers, clientId: `bench-bus-${client}`, logger });
  return [busSubject(`${client} Bus`, bus), client === 'kafkajs' ? rawKafkajs() : await rawPlatformatic()];
}

/** Each figure the median of the subject's rounds. */
function medianRow(rows: Row[]): Row {
  const median = (pick: (row: Row) => number) => [...rows.map(pick)].sort((a, b) => a - b)[Math.floor((rows.length - 1) / 2)]!;
  return {
    subject: rows[0]!.subject,
    produce: median((row) => row.produce),
    consume: median((row) => row.consume),
    joinMs: median((row) => row.joinMs),
    txP50: median((row) => row.txP50),
    txP99: median((row) => row.txP99),
    latencyP50: median((row) => row.latencyP50),
    latencyP99: median((row) => row.latencyP99),
  };
}

function percentiles(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

async function until(what: string, done: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

async function measure(subject: Subject, admin: Bus): Promise<Row> {
  const topic = `bench.clients.${randomUUID().slice(0, 8)}`;
  const latencyTopic = `${topic}.latency`;
  const txTopic = `${topic}.tx`;
  await admin.ensureTopics([topic, latencyTopic, txTopic].map((name) => ({ name, partitions: PARTITIONS, compacted: false })));
  try {
    const records = Array.from({ length: RECORDS }, (_, i) => ({ key: `key-${i % 100}`, value: VALUE }));
    let started = performance.now();
    for (let i = 0; i < records.length; i += SEND_SIZE) await subject.produce(topic, records.slice(i, i + SEND_SIZE));
    const produce = RECORDS / ((performance.now() - started) / 1000);

    let consumed = 0;
    let first = 0;
    let last = 0;
    started = performance.now();
    const stopConsume = await subject.consume(topic, true, (values) => {
      if (consumed === 0) first = performance.now();
      consumed += values.length;
      last = performance.now();
    });
    await until(`${RECORDS} records consumed`, () => consumed >= RECORDS, 120_000);
    const consume = RECORDS / ((last - started) / 1000);
    const joinMs = first - started;
    await stopConsume();

    const txTimes: number[] = [];
    const transactionalId = `bench-tx-${randomUUID()}`;
    await subject.transactionOnce(transactionalId, txTopic); // the producer's set-up is not a commit
    for (let i = 0; i < TRANSACTIONS; i++) {
      const at = performance.now();
      await subject.transactionOnce(transactionalId, txTopic);
      txTimes.push(performance.now() - at);
    }

    const latencies: number[] = [];
    let probes = 0;
    const stopLatency = await subject.consume(latencyTopic, false, (values) => {
      const now = process.hrtime.bigint();
      for (const value of values) {
        if (value.length === 5) probes++;
        else latencies.push(Number(now - BigInt(value.toString())) / 1e6);
      }
    });
    // The consumer holds its partitions once a probe published now reaches it.
    await until('the latency consumer assigned', () => {
      if (probes === 0) subject.produceInOrder(latencyTopic, [{ key: 'probe', value: Buffer.from('probe') }]);
      return probes > 0;
    });
    const perTick = Math.max(1, Math.round((RATE * TICK_MS) / 1000));
    const ticks = Math.round((SECONDS * 1000) / TICK_MS);
    const begin = performance.now();
    for (let tick = 0, n = 0; tick < ticks; tick++) {
      subject.produceInOrder(latencyTopic, Array.from({ length: perTick }, () => ({ key: `key-${n++ % 100}`, value: Buffer.from(String(process.hrtime.bigint())) })));
      const wait = begin + (tick + 1) * TICK_MS - performance.now();
      if (wait > 0) await sleep(wait);
    }
    await until('the latency records', () => latencies.length >= perTick * ticks, 30_000);
    await stopLatency();
    const tx = percentiles(txTimes);
    const latency = percentiles(latencies);
    return { subject: subject.name, produce, consume, joinMs, txP50: tx.p50, txP99: tx.p99, latencyP50: latency.p50, latencyP99: latency.p99 };
  } finally {
    await admin.deleteTopics([topic, latencyTopic, txTopic]);
  }
}

async function main(): Promise<void> {
  dropKafkajsTimeoutWarning();
  const admin = new KafkaBus({ brokers, clientId: 'bench-clients-admin', logger });
  const skipped: string[] = [];
  const clients = CLIENTS.filter((client) => {
    if (client === 'platformatic' && !platformaticSupported()) skipped.push(`platformatic: needs Node 22.22 or 24.6 or later, this is ${process.versions.node}`);
    return client !== 'platformatic' || platformaticSupported();
  });
  const measured = new Map<string, Row[]>();
  try {
    // Round after round of every subject in turn, so that a busy moment of the machine or the broker
    // does not fall on one subject alone; each figure is the median of its rounds. New clients each
    // round: a producer that wrote to a topic deleted since keeps asking for its metadata.
    for (let round = 0; round < ROUNDS; round++) {
      for (const client of clients) {
        for (const subject of await subjectsOf(client)) {
          try {
            measured.set(subject.name, [...(measured.get(subject.name) ?? []), await measure(subject, admin)]);
          } finally {
            await subject.close();
          }
        }
      }
    }
  } finally {
    await admin.close();
  }
  const rows = [...measured.values()].map(medianRow);
  const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
  console.log(`Kafka clients: ${RECORDS} records of ${VALUE.length} B, ${TRANSACTIONS} transactions, ${RATE}/s for ${SECONDS} s, median of ${ROUNDS} rounds; Node ${process.versions.node}`);
  console.table(rows.map((row) => ({
    client: row.subject,
    'produce rec/s': fixed(row.produce),
    'consume rec/s': fixed(row.consume),
    'join ms': fixed(row.joinMs),
    'tx p50 ms': fixed(row.txP50, 1),
    'tx p99 ms': fixed(row.txP99, 1),
    'e2e p50 ms': fixed(row.latencyP50, 1),
    'e2e p99 ms': fixed(row.latencyP99, 1),
  })));
  for (const line of skipped) console.log(`skipped ${line}`);
}

await main();

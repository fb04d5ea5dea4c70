import kafkajs, {
  type Admin,
  type Kafka as KafkaClient,
  type Consumer as KafkaJsConsumer,
  type EachBatchPayload,
  type IHeaders,
  type KafkaMessage,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import type { KafkaSecurity } from '../endpoints.ts';
import type { Logger } from '../logger.ts';
import {
  BusUnavailableError,
  type Bus,
  type ConsumeOptions,
  type ConsumedBatch,
  type ConsumedRecord,
  type Consumer,
  type Headers,
  type OutgoingRecord,
  type TopicPartitionOffset,
  type TopicSpec,
  type Transaction,
} from './Bus.ts';
import { retryDelayMs, retryRetriable } from './retry.ts';
import { SerialSender } from './SerialSender.ts';
import { checkTopicCompatible } from './topicCompatibility.ts';
import { coPartitionedAssigner } from './coPartitioning.ts';
import { trackCatchUp } from './kafkaCatchUp.ts';
import { kafkaAccessError, kafkaJsSecurity } from './kafkaAccess.ts';
import { chunksOf } from './chunksOf.ts';
import { FETCH_MAX_WAIT_MS, MAX_SEND_BYTES, SESSION_TIMEOUT_MS, TOPIC_LEADERS_TIMEOUT_MS, compacts, heartbeatIntervalMs, topicConfig } from './kafkaClientSettings.ts';

// kafkajs is CommonJS: Node's ESM loader only sees its default export.
const { ConfigResourceTypes, Kafka, KafkaJSProtocolError, Partitioners, logLevel } = kafkajs;

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** SASL/SCRAM and TLS; plain connections when absent. */
  security?: KafkaSecurity;
}

/** The bus on a real Kafka cluster, through kafkajs. Reads only committed transactional records. */
export class KafkaBus implements Bus {
  readonly kind = 'kafka' as const;
  private readonly kafka: KafkaClient;
  private readonly logger: Logger;
  private producer: Promise<Producer> | undefined;
  /** Every publish of this bus goes through it: one send at a time, in order (see SerialSender). */
  private readonly sender = new SerialSender((records) => this.send(records));
  private admin: Promise<Admin> | undefined;
  private readonly consumers = new Set<KafkaJsConsumer>();
  private readonly transactional = new Map<string, Promise<Producer>>();

  constructor(private readonly options: KafkaBusOptions) {
    this.logger = options.logger;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      ...kafkaJsSecurity(options.security),
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => logKafkaJs(this.logger, entry),
      retry: { retries: 8, initialRetryTime: 200 },
    });
  }

  async ensureTopics(wanted: TopicSpec[]): Promise<void> {
    // kafkajs refuses to describe the configs of no topics ("Resources array cannot be empty"), and
    // to create one topic twice in a request: a worker may list a topic twice (two of its parts use it).
    const specs = [...new Map(wanted.map((spec) => [spec.name, spec])).values()];
    if (specs.length === 0) return;
    const admin = await this.connectedAdmin();
    // A worker's first request: a SASL listener lets an unauthenticated client connect and only closes
    // the connection now, so this failure is an access failure too.
    const existing = new Set(await admin.listTopics().catch((error: unknown) => Promise.reject(this.accessError(error))));
    const missing = specs.filter((spec) => !existing.has(spec.name));
    if (missing.length > 0) {
      // Resolves false instead of throwing when another worker created a topic first; verified below.
      // Its wait for leaders can meet one that another worker's creation is still electing: retried.
      await retryRetriable(() => admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions,
          configEntries: topicConfig(spec),
        })),
      }));
    }
    await this.untilLed(admin, specs.map((spec) => spec.name));
    await this.verifyTopics(admin, specs);
  }

  /**
   * Waits until every partition of the topics has a leader. createTopics waits for the leaders of
   * the topics it created, but when workers start together another one may have created a topic
   * an instant ago, and until its leaders are elected the broker answers "does not host this
   * topic-partition" — which must not stop a worker on a freshly started broker.
   */
  private async untilLed(admin: Admin, names: string[]): Promise<void> {
    const deadline = Date.now() + TOPIC_LEADERS_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      const led = await admin
        .fetchTopicMetadata({ topics: names })
        .then((metadata) => metadata.topics.every((topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0)))
        .catch((error: unknown) => {
          if (error instanceof KafkaJSProtocolError && error.retriable) return false;
          throw error;
        });
      if (led) return;
      if (Date.now() > deadline) throw new Error(`topics ${names.join(', ')} have no leader after ${TOPIC_LEADERS_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
    }
  }

  async deleteTopics(names: string[]): Promise<void> {
    const admin = await this.connectedAdmin();
    const existing = new Set(await admin.listTopics());
    const topics = names.filter((name) => existing.has(name));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  }

  publish(records: OutgoingRecord[]): Promise<void> {
    return this.sender.publish(records);
  }

  private async send(records: OutgoingRecord[]): Promise<void> {
    try {
      const producer = await this.connectedProducer();
      // kafkajs sends a partition's records as one batch (see chunksOf).
      for (const chunk of chunksOf(records, MAX_SEND_BYTES)) await producer.sendBatch({ acks: -1, topicMessages: groupByTopic(chunk) });
    } catch (error) {
      throw brokerAway(error) ? new BusUnavailableError(`Kafka did not take ${records.length} records: ${(error as Error).message}`, { cause: error }) : error;
    }
  }

  async consume(options: ConsumeOptions): Promise<Consumer> {
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
      sessionTimeout: options.sessionTimeoutMs ?? SESSION_TIMEOUT_MS,
      heartbeatInterval: heartbeatIntervalMs(options),
      readUncommitted: false,
      partitionAssigners: [coPartitionedAssigner],
    });
    await this.connect(consumer);
    this.consumers.add(consumer);
    await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? false });
    const tracking = trackCatchUp(consumer, () => this.connectedAdmin(), options);
    const { onAssigned } = options;
    if (onAssigned) {
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
        onAssigned(Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })))),
      );
    }
    await consumer.run({
      eachBatchAutoResolve: false,
      autoCommit: options.commit !== false,
      autoCommitInterval: 1_000,
      eachBatch: (payload) => this.handleBatch(options, payload),
    });
    return {
      seek: (topic, partition, offset) => {
        consumer.seek({ topic, partition, offset });
        tracking.seeked(topic, partition, BigInt(offset));
      },
      catchUp: tracking.state,
      stop: async () => {
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  async endOffsets(topic: string): Promise<TopicPartitionOffset[]> {
    const admin = await this.connectedAdmin();
    const ends = await retryRetriable(() => admin.fetchTopicOffsets(topic));
    return ends.map(({ partition, high }) => ({ topic, partition, offset: high })).sort((a, b) => a.partition - b.partition);
  }

  async offsetsAt(topic: string, timestampMs: number): Promise<TopicPartitionOffset[]> {
    const admin = await this.connectedAdmin();
    const offsets = await retryRetriable(() => admin.fetchTopicOffsetsByTimestamp(topic, timestampMs));
    return offsets.map(({ partition, offset }) => ({ topic, partition, offset })).sort((a, b) => a.partition - b.partition);
  }

  async committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]> {
    const admin = await this.connectedAdmin();
    const [committed] = await retryRetriable(() => admin.fetchOffsets({ groupId, topics: [topic] }));
    // Kafka answers -1 for a partition the group never committed.
    return (committed?.partitions ?? [])
      .filter(({ offset }) => offset !== '-1')
      .map(({ partition, offset }) => ({ topic, partition, offset }));
  }

  async transaction(transactionalId: string): Promise<Transaction> {
    let producer = this.transactional.get(transactionalId);
    if (!producer) {
      producer = this.connect(this.kafka.producer({ ...IDEMPOTENT_PRODUCER, transactionalId, retry: TRANSACTIONAL_RETRY }));
      this.transactional.set(transactionalId, producer);
    }
    const tx = await (await producer).transaction();
    return {
      publish: async (records) => {
        if (records.length > 0) await tx.sendBatch({ acks: -1, topicMessages: groupByTopic(records) });
      },
      commitOffsets: (groupId, offsets) =>
        tx.sendOffsets({
          consumerGroupId: groupId,
          topics: [...new Set(offsets.map((o) => o.topic))].map((topic) => ({
            topic,
            partitions: offsets.filter((o) => o.topic === topic).map(({ partition, offset }) => ({ partition, offset })),
          })),
        }),
      commit: () => tx.commit(),
      abort: () => tx.abort(),
    };
  }

  async close(): Promise<void> {
    const clients = [
      ...[...this.consumers].map((consumer) => consumer.disconnect()),
      ...[this.producer, this.admin, ...this.transactional.values()].map(async (pending) => (await pending)?.disconnect()),
    ];
    this.consumers.clear();
    await Promise.allSettled(clients);
  }

  private async handleBatch(options: ConsumeOptions, payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary } = payload;
    if (batch.isEmpty()) return;
    const consumed: ConsumedBatch = {
      topic: batch.topic,
      partition: batch.partition,
      records: batch.messages.map((message) => toConsumedRecord(batch.topic, batch.partition, message)),
      highWatermark: batch.highWatermark,
    };
    // A handler that outlasts the session (a connector working through a backlog one order at a
    // time, a worker rebuilding its state) keeps the membership: without heartbeats the group would
    // evict the member and hand its partitions on while it still works at them. A heartbeat that
    // fails (a rebalance began) is left to the loop, which rejoins after the batch.
    const beating = setInterval(() => void heartbeat().catch(() => undefined), heartbeatIntervalMs(options));
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await options.handleBatch(consumed);
          break;
        } catch (error) {
          options.onBatchError?.(error, consumed);
          await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
          // A rebalance or a stop hands the partition on; it restarts from the last committed offset.
          if (!isRunning() || isStale()) return;
          await heartbeat();
        }
      }
    } finally {
      clearInterval(beating);
    }
    if (isStale()) return;
    resolveOffset(batch.lastOffset());
    if (options.commit !== false) await commitOffsetsIfNecessary();
    await heartbeat();
  }

  private async verifyTopics(admin: Admin, specs: TopicSpec[]): Promise<void> {
    const names = specs.map((spec) => spec.name);
    const metadata = await admin.fetchTopicMetadata({ topics: names });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['cleanup.policy'] })),
    });
    for (const spec of specs) {
      const partitions = metadata.topics.find((topic) => topic.name === spec.name)?.partitions.length ?? 0;
      const policy = configs.resources
        .find((resource) => resource.resourceName === spec.name)
        ?.configEntries.find((entry) => entry.configName === 'cleanup.policy')?.configValue;
      checkTopicCompatible(spec, { partitions, compacted: compacts(policy) });
    }
  }

  /** Connects a client; a refused or unreachable broker becomes one line (KafkaAccessError). */
  private async connect<T extends { connect(): Promise<void> }>(client: T): Promise<T> {
    try {
      await client.connect();
    } catch (error) {
      throw this.accessError(error);
    }
    return client;
  }

  private accessError(error: unknown): unknown {
    return kafkaAccessError(error, this.options.brokers, this.options.security);
  }

  private connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      this.producer = this.connect(this.kafka.producer(IDEMPOTENT_PRODUCER));
    }
    return this.producer;
  }

  private connectedAdmin(): Promise<Admin> {
    if (!this.admin) {
      this.admin = this.connect(this.kafka.admin());
    }
    return this.admin;
  }
}

/** kafkajs' errors (or their causes) that say the broker was away or slow, not that the request was wrong. */
const BROKER_AWAY = new Set(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError', 'KafkaJSNumberOfRetriesExceeded', 'KafkaJSBrokerNotFound']);

function brokerAway(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) if (BROKER_AWAY.has(cause.name)) return true;
  return false;
}

/**
 * A retried send is written once and in order. Retries are unbounded because an idempotent
 * producer that gives up may break exactly-once; while the broker is away, publish waits
 * (back-pressure) instead of dropping anything.
 */
const IDEMPOTENT_PRODUCER = {
  idempotent: true,
  maxInFlightRequests: 1,
  createPartitioner: Partitioners.DefaultPartitioner,
  retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5_000 },
};

/**
 * A transaction begun right after the previous one committed meets CONCURRENT_TRANSACTIONS until
 * the broker has written the previous one's markers (a few ms). kafkajs retries it with the
 * producer's back-off, 200 ms first by default; the Java client's 20 ms is the model here.
 */
const TRANSACTIONAL_RETRY = { ...IDEMPOTENT_PRODUCER.retry, initialRetryTime: 10 };

function groupByTopic(records: OutgoingRecord[]) {
  const byTopic = new Map<string, Array<{ key: string | null; value: Buffer | null; headers?: Headers; partition?: number }>>();
  for (const { topic, key, value, headers, partition } of records) {
    let messages = byTopic.get(topic);
    if (!messages) byTopic.set(topic, (messages = []));
    messages.push({ key, value, ...(headers && { headers }), ...(partition !== undefined && { partition }) });
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

function toConsumedRecord(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString('utf8') : null,
    value: message.value,
    headers: toHeaders(message.headers),
    timestampMs: Number(message.timestamp),
  };
}

function toHeaders(headers: IHeaders | undefined): Headers {
  const result: Headers = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}

/**
 * kafkajs logs protocol errors it is about to retry (coordinator loading, rebalancing) at ERROR.
 * Those are expected while a broker starts or a group rebalances, so they go out as warnings;
 * errors that matter reach our code as exceptions and are logged there. A refused SASL login is
 * one of those (a KafkaAccessError, one line), so kafkajs' own lines about it are only debug.
 */
function logKafkaJs(logger: Logger, { level, label, log }: LogEntry): void {
  const { message, ...context } = log;
  const line = { kafkajs: context, label };
  const refusedLogin = /SASL|SaslAuthenticate/.test(message);
  if ((level === logLevel.ERROR || level === logLevel.WARN) && !refusedLogin) logger.warn(line, message);
  else logger.debug(line, message);
}

import {
  Admin,
  ConfigResourceTypes,
  FindCoordinatorKeyTypes,
  ListOffsetTimestamps,
  Producer,
  stringSerializer,
  type Consumer as PlatformaticConsumer,
  type Message,
  type MessageToProduce,
  type ProducerOptions,
} from '@platformatic/kafka';
import { backoffMs } from '../backoff.ts';
import type { KafkaSecurity } from '../endpoints.ts';
import type { Logger } from '../logger.ts';
import {
  BusUnavailableError,
  type Bus,
  type ConsumeOptions,
  type Consumer,
  type OutgoingRecord,
  type TopicPartitionOffset,
  type TopicSpec,
  type Transaction,
} from './Bus.ts';
import { chunksOf } from './chunksOf.ts';
import { KafkaAccessError } from './kafkaAccess.ts';
import { MAX_SEND_BYTES, TOPIC_LEADERS_TIMEOUT_MS, compacts, topicConfig } from './kafkaClientSettings.ts';
import { partitionForKey } from './partitioner.ts';
import { platformaticClientOptions } from './platformaticAccess.ts';
import { brokerAway, hasApiError, hasCode } from './platformaticErrors.ts';
import { PlatformaticGroupReader } from './platformaticGroupReader.ts';
import { retryDelayMs } from './retry.ts';
import { SerialSender } from './SerialSender.ts';
import { checkTopicCompatible } from './topicCompatibility.ts';

export interface PlatformaticKafkaBusOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** SASL/SCRAM and TLS; plain connections when absent. */
  security?: KafkaSecurity;
}

type StringKeyProducer = Producer<string, Buffer, string, string>;

/**
 * The bus on a real Kafka cluster through @platformatic/kafka (pure JavaScript, Node ≥ 22), with
 * KafkaBus' semantics: an idempotent producer with acks=all, murmur2 partitioning (a key lands on
 * the partition KafkaBus and the in-process bus give it), read_committed consumers that commit a
 * batch's offsets after its handler resolved, transactions, the same topic checks.
 * Load it through createKafkaBus (kafkaClient.ts): importing this module needs Node ≥ 22.
 */
export class PlatformaticKafkaBus implements Bus {
  readonly kind = 'kafka' as const;
  private readonly admin: Admin;
  private producer: StringKeyProducer | undefined;
  /** One send at a time, in order, as KafkaBus (see SerialSender): the idempotent producer's sequence numbers stay in order. */
  private readonly sender = new SerialSender((records) => this.send(records));
  private readonly readers = new Set<PlatformaticGroupReader>();
  private readonly transactional = new Map<string, StringKeyProducer>();

  constructor(private readonly options: PlatformaticKafkaBusOptions) {
    this.admin = new Admin(this.clientOptions(`${options.clientId}-admin`));
  }

  async ensureTopics(wanted: TopicSpec[]): Promise<void> {
    // A worker may list a topic twice (two of its parts use it).
    const specs = [...new Map(wanted.map((spec) => [spec.name, spec])).values()];
    if (specs.length === 0) return;
    const existing = new Set(await this.admin.listTopics().catch((error: unknown) => Promise.reject(this.accessError(error))));
    // One request per topic: the configs of a CreateTopics call apply to every topic it names.
    for (const spec of specs.filter((spec) => !existing.has(spec.name))) {
      await this.admin.createTopics({ topics: [spec.name], partitions: spec.partitions, replicas: -1, configs: topicConfig(spec) }).catch((error: unknown) => {
        // Another worker created it first: verified below like any existing topic.
        if (!hasApiError(error, 'TOPIC_ALREADY_EXISTS')) throw error;
      });
    }
    await this.untilLed(specs.map((spec) => spec.name));
    await this.verifyTopics(specs);
  }

  /** Every partition of the topics has a leader: a topic another worker just created may still be electing (see KafkaBus.untilLed). */
  private async untilLed(names: string[]): Promise<void> {
    const deadline = Date.now() + TOPIC_LEADERS_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      const led = await this.admin
        .metadata({ topics: names, forceUpdate: true })
        .then((metadata) => names.every((name) => {
          const partitions = metadata.topics.get(name)?.partitions ?? [];
          return partitions.length > 0 && partitions.every((partition) => partition.leader >= 0);
        }))
        .catch(() => false);
      if (led) return;
      if (Date.now() > deadline) throw new Error(`topics ${names.join(', ')} have no leader after ${TOPIC_LEADERS_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
    }
  }

  private async verifyTopics(specs: TopicSpec[]): Promise<void> {
    const names = specs.map((spec) => spec.name);
    const metadata = await this.admin.metadata({ topics: names, forceUpdate: true });
    const configs = await this.admin.describeConfigs({
      resources: names.map((name) => ({ resourceType: ConfigResourceTypes.TOPIC, resourceName: name, configurationKeys: ['cleanup.policy'] })),
    });
    for (const spec of specs) {
      const policy = configs.find((resource) => resource.resourceName === spec.name)?.configs.find((entry) => entry.name === 'cleanup.policy')?.value;
      checkTopicCompatible(spec, { partitions: metadata.topics.get(spec.name)?.partitionsCount ?? 0, compacted: compacts(policy) });
    }
  }

  async deleteTopics(names: string[]): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const topics = names.filter((name) => existing.has(name));
    if (topics.length > 0) await this.admin.deleteTopics({ topics });
  }

  publish(records: OutgoingRecord[]): Promise<void> {
    return this.sender.publish(records);
  }

  private async send(records: OutgoingRecord[]): Promise<void> {
    try {
      const producer = (this.producer ??= new Producer(this.producerOptions(this.options.clientId)));
      for (const chunk of chunksOf(records, MAX_SEND_BYTES)) await producer.send({ messages: await toMessages(producer, chunk) });
    } catch (error) {
      throw brokerAway(error) ? new BusUnavailableError(`Kafka did not take ${records.length} records: ${(error as Error).message}`, { cause: error }) : error;
    }
  }

  async consume(options: ConsumeOptions): Promise<Consumer> {
    const reader = new PlatformaticGroupReader(this.clientOptions(this.options.clientId), options, this.options.logger);
    this.readers.add(reader);
    try {
      await reader.start();
    } catch (error) {
      this.readers.delete(reader);
      await reader.stop();
      throw this.accessError(error);
    }
    return {
      seek: (topic, partition, offset) => reader.seek(topic, partition, BigInt(offset)),
      catchUp: () => reader.catchUp(),
      stop: async () => {
        this.readers.delete(reader);
        await reader.stop();
      },
    };
  }

  async endOffsets(topic: string): Promise<TopicPartitionOffset[]> {
    return this.listOffsets(topic, ListOffsetTimestamps.LATEST);
  }

  async offsetsAt(topic: string, timestampMs: number): Promise<TopicPartitionOffset[]> {
    // Kafka answers -1 for a partition with no record at or after the time; the contract says its end.
    const [at, ends] = await Promise.all([this.listOffsets(topic, BigInt(timestampMs)), this.endOffsets(topic)]);
    return at.map((offset, i) => (offset.offset === '-1' ? ends[i]! : offset));
  }

  private async listOffsets(topic: string, timestamp: bigint): Promise<TopicPartitionOffset[]> {
    const metadata = await this.admin.metadata({ topics: [topic] });
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    const listed = await this.admin.listOffsets({
      topics: [{ name: topic, partitions: Array.from({ length: count }, (_, partitionIndex) => ({ partitionIndex, timestamp })) }],
    });
    return (listed.find(({ name }) => name === topic)?.partitions ?? [])
      .map(({ partitionIndex, offset }) => ({ topic, partition: partitionIndex, offset: String(offset) }))
      .sort((a, b) => a.partition - b.partition);
  }

  async committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]> {
    const metadata = await this.admin.metadata({ topics: [topic] });
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    const [group] = await this.admin.listConsumerGroupOffsets({
      groups: [{ groupId, topics: [{ name: topic, partitionIndexes: Array.from({ length: count }, (_, i) => i) }] }],
    });
    // Kafka answers -1 for a partition the group never committed.
    return (group?.topics.find(({ name }) => name === topic)?.partitions ?? [])
      .filter(({ committedOffset }) => committedOffset >= 0n)
      .map(({ partitionIndex, committedOffset }) => ({ topic, partition: partitionIndex, offset: String(committedOffset) }))
      .sort((a, b) => a.partition - b.partition);
  }

  async transaction(transactionalId: string): Promise<Transaction> {
    let producer = this.transactional.get(transactionalId);
    if (!producer) {
      producer = new Producer({ ...this.producerOptions(`${this.options.clientId}-tx`), transactionalId, retryDelay: transactionalRetryDelay });
      this.transactional.set(transactionalId, producer);
    }
    const tx = await producer.beginTransaction();
    return {
      publish: async (records) => {
        if (records.length > 0) await tx.send({ messages: await toMessages(producer, records) });
      },
      commitOffsets: (groupId, offsets) => this.commitOffsets(tx, groupId, offsets),
      commit: () => tx.commit(),
      abort: () => tx.abort(),
    };
  }

  /**
   * Offsets committed in the transaction for a group this process is not a member of (ProgressCommits):
   * the client adds a group by its consumer and commits a consumed message's offset, so both are
   * given as the fields it reads, with the generation and member id Kafka takes from a non-member.
   */
  private async commitOffsets(tx: Awaited<ReturnType<StringKeyProducer['beginTransaction']>>, groupId: string, offsets: TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await tx.addConsumer({ groupId } as PlatformaticConsumer);
    const [coordinator] = await this.admin.findCoordinator({ keyType: FindCoordinatorKeyTypes.GROUP, keys: [groupId] });
    if (!coordinator) throw new Error(`no coordinator for group ${groupId}`);
    for (const { topic, partition, offset } of offsets) {
      const consumed = {
        topic,
        partition,
        // The client commits the offset after the message's.
        offset: BigInt(offset) - 1n,
        metadata: { consumer: { groupId, generationId: -1, memberId: '', coordinatorId: coordinator.nodeId } },
      };
      await tx.addOffset(consumed as unknown as Message);
    }
  }

  async close(): Promise<void> {
    const readers = [...this.readers];
    this.readers.clear();
    await Promise.allSettled([
      ...readers.map((reader) => reader.stop()),
      ...[this.producer, ...this.transactional.values()].map((producer) => producer?.close()),
    ]);
    await this.admin.close().catch(() => undefined);
  }

  private clientOptions(clientId: string) {
    return platformaticClientOptions(clientId, this.options.brokers, this.options.security);
  }

  /**
   * Idempotent, acks=all, one request in flight: a retried send is written once and in order.
   * Retried for about a minute (request timeouts and back-off), then publish fails with
   * BusUnavailableError, where kafkajs' unbounded retries end at its own connection errors.
   */
  private producerOptions(clientId: string): ProducerOptions<string, Buffer, string, string> {
    return {
      ...this.clientOptions(clientId),
      idempotent: true,
      acks: -1,
      maxInflights: 1,
      retries: 10,
      retryDelay: (_client, _operation, attempt) => retryDelayMs(attempt),
      serializers: { key: stringSerializer, headerKey: stringSerializer, headerValue: stringSerializer },
    };
  }

  private accessError(error: unknown): unknown {
    if (!brokerAway(error) && !hasCode(error, 'PLT_KFK_AUTHENTICATION')) return error;
    const where = this.options.brokers.join(',');
    return new KafkaAccessError(`kafka: cannot connect to ${where}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The records as the client's messages, each with its partition: murmur2 of its key, as KafkaBus
 * and the Java client place it, or the partition it names; records without a key in turn. Set
 * here from fresh metadata because the client hands a partitioner only the metadata it last had,
 * none before its first send, and then wraps the answer into the partitions it knows.
 */
async function toMessages(producer: StringKeyProducer, records: OutgoingRecord[]): Promise<Array<MessageToProduce<string, Buffer, string, string>>> {
  const metadata = await producer.metadata({ topics: [...new Set(records.map(({ topic }) => topic))] });
  return records.map(({ topic, key, value, headers, partition }) => {
    const partitions = metadata.topics.get(topic)?.partitionsCount ?? 1;
    return {
      topic,
      partition: partition ?? (key === null ? unkeyed++ % partitions : partitionForKey(topic, key, partitions)),
      ...(key !== null && { key }),
      ...(value !== null && { value }),
      ...(headers && { headers }),
    };
  });
}

let unkeyed = 0;

/**
 * A transaction begun right after the previous one committed meets CONCURRENT_TRANSACTIONS (on
 * AddPartitionsToTxn) until the broker has written the previous one's markers, a few ms: 28 of 30
 * back-to-back transactions met it on the local broker. With the bus' 200 ms first retry each then
 * took 207 ms (p50), with the client's default 1 s, 1,006 ms; a 10 ms first retry, as KafkaBus' (the
 * Java client's 20 ms is the model), makes it 14 ms (kafkaClients.bench.ts).
 */
const transactionalRetryDelay = (_client: unknown, _operation: string, attempt: number) => backoffMs({ initialMs: 10, maxMs: 5_000 }, attempt - 1);

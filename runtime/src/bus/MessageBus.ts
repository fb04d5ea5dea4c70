import type { Infer, RecordSchema, TopicDefinition } from '@crossvenue/schemas';
import { BadRecordError, type Codec } from '@crossvenue/schemas';
import type { Logger } from '../logger.ts';
import type { WorkerMetrics } from '../metrics.ts';
import { SharedDecodes } from './SharedDecodes.ts';
import type { Bus, CatchUp, ConsumeOptions, ConsumedBatch, ConsumedRecord, Consumer, Headers, OutgoingRecord } from './Bus.ts';

export interface Delivered<V> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: V;
  /** The record's bytes as they arrived, so that a record found invalid later can be dead-lettered as it was. */
  raw: Buffer;
  headers: Headers;
  timestampMs: number;
}

/** The message type of a topic; `unknown` for a topic whose schema is not known statically. */
export type ValueOf<T> = T extends TopicDefinition<infer S> ? (RecordSchema extends S ? unknown : Infer<S>) : never;

export interface SubscribeOptions<T extends TopicDefinition> {
  groupId: string;
  topics: readonly T[];
  fromBeginning?: boolean;
  /** false: the group never commits (ConsumeOptions.commit). */
  commit?: boolean;
  /** Told the partitions given to this member (ConsumeOptions.onAssigned). */
  onAssigned?: ConsumeOptions['onAssigned'];
  /** How long the group waits for a member that stopped heartbeating (ConsumeOptions.sessionTimeoutMs). */
  sessionTimeoutMs?: ConsumeOptions['sessionTimeoutMs'];
  /**
   * The decoded records of one partition batch, in order (bad records already dead-lettered).
   * On the in-process bus their values are frozen: other consumers may be handed the same ones (SharedDecodes).
   * Throw to have the batch delivered again; its offsets are committed only once this resolves.
   */
  handle: (messages: Array<Delivered<ValueOf<T>>>) => Promise<void>;
}

/** Headers a dead letter carries next to the original key, bytes and headers. */
export const DEAD_LETTER_HEADERS = {
  reason: 'dlq.reason',
  sourceTopic: 'dlq.source.topic',
  sourcePartition: 'dlq.source.partition',
  sourceOffset: 'dlq.source.offset',
  /** For bytes that never were a record: the venue (or API) they came from. */
  sourceVenue: 'dlq.source.venue',
  failedAtMs: 'dlq.failed-at-ms',
} as const;

/**
 * Typed publishing and consuming over the bus port: values are encoded with the topic's schema,
 * keys come from the catalogue, and a record that can never be decoded goes to the topic's
 * dead-letter topic with its original bytes and the reason, so the worker moves on and nothing is lost.
 */
export class MessageBus {
  /** The consumers subscribed through it and not stopped: what its worker must catch up on. */
  private readonly consumers = new Set<Consumer>();
  /** The publishes being encoded, one after another (see publish). */
  private encoding: Promise<unknown> = Promise.resolve();
  /**
   * One decode of a record for all the consumers it reaches, on the in-process bus only: there
   * every group is handed the same bytes. On Kafka each delivery has bytes of its own, so nothing
   * could be shared, and values stay unfrozen.
   */
  private readonly decodes: SharedDecodes | undefined;

  constructor(
    readonly bus: Bus,
    private readonly codec: Codec,
    private readonly logger: Logger,
    private readonly metrics?: WorkerMetrics,
  ) {
    this.decodes = bus.kind === 'in-process' ? new SharedDecodes() : undefined;
  }

  /** Creates or verifies the topics and their dead-letter topics, and registers their schemas. */
  async prepare(topics: readonly TopicDefinition[]): Promise<void> {
    await this.bus.ensureTopics(topics.flatMap((topic) => [topic, topic.deadLetter]));
    await this.codec.register([...topics]);
  }

  // The message type is resolved from the topic alone (ValueOf); inferring a schema back from
  // object literals would send TypeScript through the whole Avro type (excessively deep).
  /**
   * Publishes reach the bus in the order they were called, and the bus sends in that order too
   * (SerialSender): encodes run one after another, each handing its records to the bus before the
   * next starts, and none waits for the send before it. So callers that must keep an order (a
   * connector's events of one order, reported from its command, its stream and its lookups at once)
   * need not wait for each send in turn, and publishes made meanwhile share one request.
   */
  async publish<T extends TopicDefinition>(topic: T, values: Array<NoInfer<ValueOf<T>>>): Promise<void> {
    const handedOver = this.encoding.then(async () => {
      const records: OutgoingRecord[] = [];
      for (const value of values) {
        // The values are typed by the caller's topic; the definition's own key function takes them as they are.
        records.push({ topic: topic.name, key: (topic.key as (message: unknown) => string)(value), value: await this.codec.encode(topic, value) });
      }
      // In an array: a promise returned bare would be waited for here, and the next encode with it.
      return [this.bus.publish(records), records.length] as const;
    });
    this.encoding = handedOver.catch(() => undefined);
    const [sent, count] = await handedOver;
    await sent;
    this.metrics?.recordsOut.inc({ topic: topic.name }, count);
  }

  async subscribe<T extends TopicDefinition>(options: SubscribeOptions<T>): Promise<Consumer> {
    // Before it consumes: its first batch may be delivered at once.
    const leave = this.decodes?.join(options.groupId, options.topics.map((topic) => topic.name)) ?? (() => undefined);
    const consumer = await this.consume(options).catch((error: unknown) => {
      leave();
      throw error;
    });
    this.consumers.add(consumer);
    return {
      seek: (topic, partition, offset) => consumer.seek(topic, partition, offset),
      catchUp: () => consumer.catchUp(),
      stop: async () => {
        this.consumers.delete(consumer);
        await consumer.stop();
        leave();
      },
    };
  }

  /** Caught up when every consumer subscribed through it is (Consumer.catchUp); with none, it is. */
  catchUp(): CatchUp {
    for (const consumer of this.consumers) {
      const state = consumer.catchUp();
      if (!state.caughtUp) return state;
    }
    return { caughtUp: true };
  }

  private consume<T extends TopicDefinition>(options: SubscribeOptions<T>): Promise<Consumer> {
    const byName = new Map(options.topics.map((topic) => [topic.name, topic]));
    return this.bus.consume({
      groupId: options.groupId,
      topics: [...byName.keys()],
      fromBeginning: options.fromBeginning ?? false,
      commit: options.commit ?? true,
      onAssigned: options.onAssigned,
      sessionTimeoutMs: options.sessionTimeoutMs,
      handleBatch: async (batch) => {
        const topic = byName.get(batch.topic)!;
        this.observeLag(batch);
        const stopTimer = this.metrics?.handlerSeconds.startTimer({ topic: batch.topic });
        const messages = await this.decodeBatch(topic, batch);
        if (messages.length > 0) await options.handle(messages as Array<Delivered<ValueOf<T>>>);
        stopTimer?.();
        this.metrics?.recordsIn.inc({ topic: batch.topic }, batch.records.length);
      },
      onBatchError: (error, batch) => {
        this.metrics?.errors.inc({ topic: batch.topic, kind: 'handler' });
        this.logger.error(
          { topic: batch.topic, partition: batch.partition, offset: batch.records[0]?.offset, err: error },
          `handling ${batch.topic}[${batch.partition}] failed; retrying the batch`,
        );
      },
    });
  }

  private async decodeBatch(topic: TopicDefinition, batch: ConsumedBatch): Promise<Array<Delivered<unknown>>> {
    const messages: Array<Delivered<unknown>> = [];
    for (const record of batch.records) {
      try {
        if (!record.value) throw new BadRecordError(`decode ${topic.name}: the record has no value`);
        const bytes = record.value;
        const value = this.decodes ? this.decodes.decode(topic.name, bytes, () => this.codec.decode(topic, bytes)) : this.codec.decode(topic, bytes);
        messages.push({ ...record, value: await value, raw: bytes });
      } catch (error) {
        if (!(error instanceof BadRecordError)) throw error;
        await this.deadLetterRecord(topic, record, error.message);
      }
    }
    return messages;
  }

  /**
   * Parks bytes that could not become a record of `topic` (a malformed venue payload, an
   * undecodable record) in its dead-letter topic. `source` says where they came from.
   */
  async deadLetter(
    topic: TopicDefinition,
    letter: { key: string | null; value: Buffer | null; headers?: Headers },
    reason: string,
    source: Headers,
  ): Promise<void> {
    await this.park(topic, letter, reason, source);
    this.logger.warn({ ...source, deadLetter: topic.deadLetter.name }, `sent to ${topic.deadLetter.name}: ${reason}`);
  }

  /**
   * Parks a record that decoded but that its handler found invalid (it breaks a domain rule) in
   * its topic's dead-letter topic, with its original key, bytes and headers. The handler logs it:
   * it knows which worker refused the record and why.
   */
  async deadLetterDelivered(topic: TopicDefinition, delivered: Delivered<unknown>, reason: string): Promise<void> {
    await this.park(topic, { ...delivered, value: delivered.raw }, reason, sourceOf(delivered));
  }

  private async deadLetterRecord(topic: TopicDefinition, record: ConsumedRecord, reason: string): Promise<void> {
    await this.deadLetter(topic, record, reason, sourceOf(record));
  }

  private async park(topic: TopicDefinition, letter: Pick<OutgoingRecord, 'key' | 'value' | 'headers'>, reason: string, source: Headers): Promise<void> {
    await this.bus.publish([
      {
        topic: topic.deadLetter.name,
        key: letter.key,
        value: letter.value,
        headers: {
          ...letter.headers,
          ...source,
          [DEAD_LETTER_HEADERS.reason]: reason,
          [DEAD_LETTER_HEADERS.failedAtMs]: String(Date.now()),
        },
      },
    ]);
    this.metrics?.deadLetters.inc({ topic: topic.name });
    this.metrics?.errors.inc({ topic: topic.name, kind: 'bad-input' });
  }

  private observeLag(batch: ConsumedBatch): void {
    const last = batch.records.at(-1);
    if (!this.metrics || !last) return;
    const lag = Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n);
    this.metrics.consumerLag.set({ topic: batch.topic, partition: String(batch.partition) }, Math.max(0, lag));
  }
}

/** The dead-letter headers that say which record a letter was. */
function sourceOf({ topic, partition, offset }: { topic: string; partition: number; offset: string }): Headers {
  return {
    [DEAD_LETTER_HEADERS.sourceTopic]: topic,
    [DEAD_LETTER_HEADERS.sourcePartition]: String(partition),
    [DEAD_LETTER_HEADERS.sourceOffset]: offset,
  };
}

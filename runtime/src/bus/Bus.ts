/**
 * The bus port: the only way a worker publishes or consumes. Processors see this interface, never
 * kafkajs, so the same code runs on Kafka (distributed) and on the in-process bus (embedded, unit
 * tests). It moves bytes; encoding and dead-lettering live one layer up, in MessageBus.
 */
import type { TopicSpec } from '@crossvenue/schemas';

export type { TopicSpec };

export type Headers = Record<string, string>;

export interface OutgoingRecord {
  topic: string;
  key: string | null;
  value: Buffer | null;
  headers?: Headers;
  /** Written to this partition rather than the key's: a worker's snapshot of its partition n goes to partition n. */
  partition?: number;
}

export interface ConsumedRecord {
  topic: string;
  partition: number;
  /** Kafka offsets are int64; kept as decimal strings so nothing is rounded. */
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Headers;
  timestampMs: number;
}

/** Records of one partition, in offset order. */
export interface ConsumedBatch {
  topic: string;
  partition: number;
  records: ConsumedRecord[];
  /** The partition's end offset when the batch was fetched; lag = highWatermark - last offset - 1. */
  highWatermark: string;
}

export interface ConsumeOptions {
  groupId: string;
  topics: string[];
  /** Where a group with no committed offset starts: the earliest record, or only new ones. */
  fromBeginning?: boolean;
  /**
   * false: the group never commits its offsets, so a partition assigned to a member (at start, or
   * moved to it by a rebalance) is read from where `fromBeginning` says, not from where another
   * member got to. For a worker whose state is the fold of its partitions from the beginning: the
   * members share the partitions, and a partition's state moves with it. Default true.
   */
  commit?: boolean;
  /**
   * Told the partitions the group gives this member, at start and after every rebalance, before any
   * batch of them is delivered. With `commit` false each of them is then read from the start, so a
   * worker that folds its partitions drops its state here and rebuilds it from what follows.
   */
  onAssigned?: (partitions: Array<{ topic: string; partition: number }>) => void;
  /**
   * How long the group waits for a member that stopped heartbeating (a killed process) before it
   * hands its partitions on; a member joining meanwhile waits as long. At least the broker's
   * group.min.session.timeout.ms (6 s by default); 15 s when not given.
   */
  sessionTimeoutMs?: number;
  /**
   * Called for each batch, one at a time. Offsets are committed (unless `commit` is false) only after it resolves; if it
   * throws, the same batch is delivered again after a back-off (at-least-once, nothing skipped).
   */
  handleBatch: (batch: ConsumedBatch) => Promise<void>;
  /** Told about a failed batch before it is retried, so the caller can log and count it. */
  onBatchError?: (error: unknown, batch: ConsumedBatch) => void;
}

/** Whether a consumer has read the backlog its partitions held when they were assigned to it. */
export type CatchUp = { caughtUp: true } | { caughtUp: false; reason: string };

export interface Consumer {
  /** Deliver again from this offset (the next batch of that partition starts there). */
  seek(topic: string, partition: number, offset: string): void;
  /**
   * Caught up once every partition assigned to it has been handled up to the end offset it had
   * when it was assigned (an empty assignment is caught up at once); not before the group has
   * assigned its partitions. A worker is ready (/readyz) when all its consumers are.
   */
  catchUp(): CatchUp;
  stop(): Promise<void>;
}

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read, as Kafka commits it. */
  offset: string;
}

/**
 * Records and consumer offsets that become visible together or not at all
 * (consume-transform-produce). Readers never see records of an aborted transaction.
 */
export interface Transaction {
  publish(records: OutgoingRecord[]): Promise<void>;
  commitOffsets(groupId: string, offsets: TopicPartitionOffset[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface Bus {
  readonly kind: 'kafka' | 'in-process';
  /** Create missing topics; refuse (TopicConfigError) a topic whose configuration is incompatible. No topics: nothing to do. */
  ensureTopics(specs: TopicSpec[]): Promise<void>;
  /** Deletes those of the named topics that exist (a namespaced run's whole pipeline, once the run is over). */
  deleteTopics(names: string[]): Promise<void>;
  publish(records: OutgoingRecord[]): Promise<void>;
  consume(options: ConsumeOptions): Promise<Consumer>;
  /** The offsets a group has committed for a topic (the next offset to read), per partition. */
  committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]>;
  /** Each partition's end: the offset its next record will get (every partition, empty ones at 0). */
  endOffsets(topic: string): Promise<TopicPartitionOffset[]>;
  /** Each partition's first offset written at or after `timestampMs` (Kafka's record time); its end where none was. */
  offsetsAt(topic: string, timestampMs: number): Promise<TopicPartitionOffset[]>;
  /** One transactional producer per id; a second use of the same id fences the first, as in Kafka. */
  transaction(transactionalId: string): Promise<Transaction>;
  close(): Promise<void>;
}

export class TopicConfigError extends Error {
  override readonly name = 'TopicConfigError';
}

/**
 * The broker could not be reached, or did not answer in time, to publish: the records may or may
 * not have been written. A caller that cannot wait (the gateway, answering a person) says so and
 * leaves the retry to its client, whose repeat an idempotency key makes harmless.
 */
export class BusUnavailableError extends Error {
  override readonly name = 'BusUnavailableError';
}

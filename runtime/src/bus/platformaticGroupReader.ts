import {
  Consumer as PlatformaticConsumer,
  FetchIsolationLevels,
  ListOffsetTimestamps,
  type ConsumerGroupJoinPayload,
  type GroupAssignment,
  type GroupPartitionsAssigner,
  type RecordsBatch,
} from '@platformatic/kafka';
import type { Logger } from '../logger.ts';
import type { CatchUp, ConsumeOptions, ConsumedBatch, ConsumedRecord, Headers } from './Bus.ts';
import { CatchUpTracker, readingStart, type AssignedPartition } from './CatchUpTracker.ts';
import { ownerOfPartition } from './coPartitioning.ts';
import { FETCH_MAX_WAIT_MS, SESSION_TIMEOUT_MS, heartbeatIntervalMs } from './kafkaClientSettings.ts';
import type { platformaticClientOptions } from './platformaticAccess.ts';
import { hasApiError } from './platformaticErrors.ts';
import { retryDelayMs } from './retry.ts';

/** A record batch holding a commit or abort marker, not records (attributes bit 5). */
const IS_CONTROL = 0b10_0000;
const tp = (topic: string, partition: number) => `${topic}[${partition}]`;

/**
 * Offsets are committed at most once a second, after the batch that passes it, as KafkaBus' kafkajs
 * consumer does (autoCommitInterval): a commit per batch would put a round trip to the group
 * coordinator behind every batch of every partition.
 */
const COMMIT_INTERVAL_MS = 1_000;

/** Where this member reads, for one generation of the group: positions per assigned partition. */
interface Reading {
  generation: number;
  partitions: Array<{ topic: string; partition: number }>;
  /** The next offset to fetch per partition; undefined until the assignment's offsets are read. */
  positions: Map<string, bigint> | undefined;
}

/**
 * One member of a consumer group through @platformatic/kafka, with KafkaBus' consume semantics.
 * The client keeps the membership (join, sync, heartbeats on its own timer, so a slow handler keeps
 * it; rejoin on a rebalance); this class fetches. Its own fetch loop, not the client's message
 * stream, because the bus delivers a partition's records as one batch with the partition's end,
 * redelivers a batch whose handler failed, seeks, and commits a batch only after its handler
 * resolved, none of which a stream of single messages with its own positions allows.
 */
export class PlatformaticGroupReader {
  private readonly consumer: PlatformaticConsumer;
  private readonly tracker: CatchUpTracker;
  private reading: Reading = { generation: 0, partitions: [], positions: undefined };
  /** Seeks made before the assignment's positions are known (a worker seeks in onAssigned). */
  private readonly pendingSeeks = new Map<string, bigint>();
  /** Counts seeks per partition: a fetch sent before a seek must not move the partition back. */
  private readonly seeks = new Map<string, number>();
  /** Handled offsets not committed yet, per partition: committed every COMMIT_INTERVAL_MS and at stop. */
  private readonly uncommitted = new Map<string, { topic: string; partition: number; offset: bigint; leaderEpoch: number }>();
  private committedAt = 0;
  private running = true;
  private loop: Promise<void> | undefined;
  private wake: () => void = () => {};

  constructor(
    clientOptions: ReturnType<typeof platformaticClientOptions>,
    private readonly options: ConsumeOptions,
    private readonly logger: Logger,
  ) {
    const sessionTimeout = options.sessionTimeoutMs ?? SESSION_TIMEOUT_MS;
    this.consumer = new PlatformaticConsumer({
      ...clientOptions,
      groupId: options.groupId,
      sessionTimeout,
      // kafkajs' default: a member that handles a batch when the group rebalances has a minute to rejoin.
      rebalanceTimeout: Math.max(sessionTimeout, 60_000),
      heartbeatInterval: heartbeatIntervalMs(options),
      isolationLevel: FetchIsolationLevels.READ_COMMITTED,
      maxWaitTime: FETCH_MAX_WAIT_MS,
      autocommit: false,
      protocols: [{ name: 'CrossvenueCoPartitionedPlatformatic', version: 1 }],
      partitionAssigner: coPartitionedAssigner,
    });
    this.tracker = new CatchUpTracker(options.groupId, options.commit === false);
  }

  async start(): Promise<void> {
    this.consumer.on('consumer:group:join', (payload) => this.joined(payload));
    for (const topic of this.options.topics) this.consumer.topics.track(topic);
    await this.consumer.joinGroup({});
    this.loop = this.run();
  }

  seek(topic: string, partition: number, offset: bigint): void {
    const key = tp(topic, partition);
    this.seeks.set(key, (this.seeks.get(key) ?? 0) + 1);
    if (this.reading.positions) this.reading.positions.set(key, offset);
    else this.pendingSeeks.set(key, offset);
    this.tracker.seeked(topic, partition, offset);
    this.wake();
  }

  catchUp(): CatchUp {
    return this.tracker.state();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop?.catch(() => undefined);
    await this.commit();
    await this.consumer.close().catch(() => this.consumer.close(true).catch(() => undefined));
  }

  /** A new generation: what was read for the previous assignment no longer counts. */
  private joined({ assignments }: ConsumerGroupJoinPayload): void {
    const partitions = (assignments ?? []).flatMap(({ topic, partitions }: GroupAssignment) => partitions.map((partition) => ({ topic, partition })));
    const reading: Reading = { generation: this.reading.generation + 1, partitions, positions: undefined };
    this.reading = reading;
    // Offsets of partitions handed on are the next owner's to commit now.
    const kept = new Set(partitions.map(({ topic, partition }) => tp(topic, partition)));
    for (const key of this.uncommitted.keys()) if (!kept.has(key)) this.uncommitted.delete(key);
    this.pendingSeeks.clear();
    this.tracker.joined();
    this.options.onAssigned?.(partitions);
    void this.loadPositions(reading);
  }

  /** Reads where each assigned partition starts and ends; tried again (with back-off) until it works or the group moved on. */
  private async loadPositions(reading: Reading): Promise<void> {
    for (let attempt = 0; this.running && reading === this.reading; attempt++) {
      try {
        const assigned = await this.assignedPartitions(reading.partitions);
        if (reading !== this.reading) return;
        reading.positions = new Map(assigned.map(({ topic, partition, start }) => [tp(topic, partition), start]));
        for (const [key, offset] of this.pendingSeeks) reading.positions.set(key, offset);
        this.pendingSeeks.clear();
        this.tracker.assigned(assigned);
        this.wake();
        return;
      } catch (error) {
        if (reading !== this.reading) return;
        this.tracker.unassigned(`reading the offsets of its partitions failed (${error instanceof Error ? error.message : String(error)})`);
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
      }
    }
  }

  private async assignedPartitions(partitions: Reading['partitions']): Promise<AssignedPartition[]> {
    const topics = [...new Set(partitions.map(({ topic }) => topic))];
    if (topics.length === 0) return [];
    const [low, high, committed] = await Promise.all([
      this.consumer.listOffsets({ topics, timestamp: ListOffsetTimestamps.EARLIEST }),
      this.consumer.listOffsets({ topics, timestamp: ListOffsetTimestamps.LATEST }),
      // A group that never commits reads every partition from where fromBeginning says, each time it is assigned.
      this.options.commit === false
        ? new Map<string, bigint[]>()
        : this.consumer.listCommittedOffsets({ topics: topics.map((topic) => ({ topic, partitions: partitions.filter((p) => p.topic === topic).map((p) => p.partition) })) }),
    ]);
    return partitions.map(({ topic, partition }) => {
      const end = high.get(topic)?.[partition] ?? 0n;
      const start = readingStart(committed.get(topic)?.[partition] ?? -1n, low.get(topic)?.[partition] ?? 0n, end, this.options.fromBeginning ?? false);
      // A partition kept through a rebalance goes on after what was handled, even if not committed yet.
      const handled = this.uncommitted.get(tp(topic, partition))?.offset;
      return { topic, partition, start: handled !== undefined && handled > start ? handled : start, end };
    });
  }

  private async run(): Promise<void> {
    for (let failures = 0; this.running; ) {
      const reading = this.reading;
      if (!reading.positions || reading.partitions.length === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      try {
        await this.fetchOnce(reading, reading.positions);
        failures = 0;
      } catch (error) {
        if (!this.running) return;
        if (hasApiError(error, 'OFFSET_OUT_OF_RANGE') && reading === this.reading) {
          // Records gone under retention (or a seek past the end): read again from where a new assignment would start.
          reading.positions = undefined;
          void this.loadPositions(reading);
          continue;
        }
        // The broker away, a leader moving: fetched again after a back-off, from the same positions.
        this.logger.warn({ err: error instanceof Error ? error.message : String(error), groupId: this.options.groupId }, 'kafka fetch failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(++failures)));
      }
    }
  }

  /** One fetch of every assigned partition from its leader, then each partition's records handed in as one batch. */
  private async fetchOnce(reading: Reading, positions: Map<string, bigint>): Promise<void> {
    const metadata = await this.consumer.metadata({ topics: this.options.topics });
    const byLeader = new Map<number, Array<{ topic: string; partition: number; offset: bigint }>>();
    for (const { topic, partition } of reading.partitions) {
      const leader = metadata.topics.get(topic)?.partitions[partition]?.leader ?? -1;
      if (leader < 0) continue;
      const offset = positions.get(tp(topic, partition))!;
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), { topic, partition, offset }]);
    }
    const seeksBefore = new Map(this.seeks);
    const responses = await Promise.all([...byLeader].map(async ([node, requested]) => {
      const topics = [...new Set(requested.map(({ topic }) => topic))].map((topic) => ({
        topicId: metadata.topics.get(topic)!.id,
        partitions: requested.filter((r) => r.topic === topic).map(({ partition, offset }) => ({
          partition,
          fetchOffset: offset,
          partitionMaxBytes: 1_048_576,
          currentLeaderEpoch: -1,
          lastFetchedEpoch: -1,
        })),
      }));
      return { requested, response: await this.consumer.fetch({ node, topics, maxWaitTime: FETCH_MAX_WAIT_MS, isolationLevel: FetchIsolationLevels.READ_COMMITTED }) };
    }));
    const topicNames = new Map([...metadata.topics].map(([name, { id }]) => [id, name]));
    for (const { requested, response } of responses) {
      for (const { topic, partition, offset } of requested) {
        const key = tp(topic, partition);
        // A seek since the fetch, or a new generation: these records are not the ones to deliver now.
        if (!this.running || reading !== this.reading || (this.seeks.get(key) ?? 0) !== (seeksBefore.get(key) ?? 0)) continue;
        const fetched = partitionOf(response, topicNames, topic, partition);
        if (!fetched?.records?.length) continue;
        await this.deliver(reading, topic, partition, offset, fetched.records, String(fetched.highWatermark));
      }
    }
  }

  /** Hands the records of one partition to the handler, again after a failure, then moves on and commits. */
  private async deliver(reading: Reading, topic: string, partition: number, from: bigint, batches: RecordsBatch[], highWatermark: string): Promise<void> {
    const records: ConsumedRecord[] = [];
    for (const batch of batches) {
      if (batch.attributes & IS_CONTROL) continue;
      for (const record of batch.records) {
        const offset = batch.firstOffset + BigInt(record.offsetDelta);
        // A fetch starts at the batch holding the offset asked for: records before it were delivered already.
        if (offset < from) continue;
        records.push({
          topic,
          partition,
          offset: String(offset),
          key: record.key ? record.key.toString('utf8') : null,
          value: record.value,
          headers: toHeaders(record.headers),
          timestampMs: Number(batch.firstTimestamp + record.timestampDelta),
        });
      }
    }
    const last = batches.at(-1)!;
    const next = last.firstOffset + BigInt(last.lastOffsetDelta) + 1n;
    if (next <= from) return;
    const key = tp(topic, partition);
    const seeksBefore = this.seeks.get(key) ?? 0;
    // A batch of only transaction markers never reaches the handler, but reading moves past it.
    if (records.length > 0) {
      const consumed: ConsumedBatch = { topic, partition, records, highWatermark };
      for (let attempt = 0; ; attempt++) {
        try {
          await this.options.handleBatch(consumed);
          break;
        } catch (error) {
          this.options.onBatchError?.(error, consumed);
          await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
          // A rebalance or a stop hands the partition on; it restarts from the last committed offset.
          if (!this.running || reading !== this.reading) return;
        }
      }
    }
    if (reading !== this.reading || (this.seeks.get(key) ?? 0) !== seeksBefore) return;
    reading.positions!.set(key, next);
    this.tracker.advanced(topic, partition, next);
    if (this.options.commit === false) return;
    this.uncommitted.set(key, { topic, partition, offset: next, leaderEpoch: last.partitionLeaderEpoch });
    if (Date.now() - this.committedAt >= COMMIT_INTERVAL_MS) await this.commit();
  }

  /** Commits what was handled and not committed yet. A failure (a rebalance began) leaves the next owner to read from the last commit: at least once, as always. */
  private async commit(): Promise<void> {
    if (this.uncommitted.size === 0) return;
    const offsets = [...this.uncommitted.values()];
    this.uncommitted.clear();
    this.committedAt = Date.now();
    await this.consumer.commit({ offsets }).catch((error: unknown) => {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error), groupId: this.options.groupId }, 'offset commit failed');
    });
  }
}

type FetchResponse = Awaited<ReturnType<PlatformaticConsumer['fetch']>>;

function partitionOf(response: FetchResponse, topicNames: Map<string, string>, topic: string, partition: number) {
  for (const topicResponse of response.responses) {
    if (topicNames.get(topicResponse.topicId) !== topic) continue;
    const found = topicResponse.partitions.find(({ partitionIndex }) => partitionIndex === partition);
    if (found) return found;
  }
  return undefined;
}

function toHeaders(headers: Array<[Buffer | null, Buffer | null]>): Headers {
  const result: Headers = {};
  for (const [name, value] of headers) {
    // The first value of a repeated header, as KafkaBus.
    if (name && value && !(name.toString() in result)) result[name.toString()] = value.toString();
  }
  return result;
}

/** The client's side of the co-partitioned assignment: owner by `ownerOfPartition` over sorted member ids (see coPartitioning.ts). */
const coPartitionedAssigner: GroupPartitionsAssigner = (_current, members, topics, metadata) => {
  const memberIds = [...members.keys()].sort();
  const assignments = new Map(memberIds.map((memberId) => [memberId, new Map<string, GroupAssignment>()]));
  for (const topic of topics) {
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    for (let partition = 0; partition < count; partition++) {
      const owner = assignments.get(memberIds[ownerOfPartition(partition, memberIds.length)]!)!;
      let assignment = owner.get(topic);
      if (!assignment) owner.set(topic, (assignment = { topic, partitions: [] }));
      assignment.partitions.push(partition);
    }
  }
  return [...assignments].map(([memberId, assigned]) => ({ memberId, assignments: assigned }));
};

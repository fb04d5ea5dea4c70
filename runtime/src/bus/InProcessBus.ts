import { EventEmitter } from 'node:events';
import {
  type Bus,
  type CatchUp,
  type ConsumeOptions,
  type ConsumedBatch,
  type ConsumedRecord,
  type Consumer,
  type OutgoingRecord,
  type TopicPartitionOffset,
  type TopicSpec,
  type Transaction,
} from './Bus.ts';
import { CatchUpTracker } from './CatchUpTracker.ts';
import { partitionForKey } from './partitioner.ts';
import { retryDelayMs } from './retry.ts';
import { checkTopicCompatible } from './topicCompatibility.ts';
import { ownerOfPartition } from './coPartitioning.ts';

const MAX_BATCH = 500;

interface Topic {
  spec: TopicSpec;
  partitions: ConsumedRecord[][];
  roundRobin: number;
}

interface Group {
  committed: Map<string, number>;
  members: Member[];
}

const tp = (topic: string, partition: number) => `${topic}\u0000${partition}`;
const parseKey = (key: string) => {
  const [topic, partition] = key.split('\u0000') as [string, string];
  return { topic, partition: Number(partition) };
};

/**
 * The bus for the embedded run and fast unit tests: Kafka's semantics in memory. Same key-to-
 * partition mapping, per-partition order, consumer groups sharing partitions, committed offsets,
 * seek, and transactions whose records appear atomically on commit.
 */
export class InProcessBus implements Bus {
  readonly kind = 'in-process' as const;
  private readonly topics = new Map<string, Topic>();
  private readonly groups = new Map<string, Group>();
  private readonly appended = new EventEmitter().setMaxListeners(0);
  private readonly settledWaiters: Array<() => void> = [];

  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    for (const spec of specs) {
      const existing = this.topics.get(spec.name);
      if (!existing) {
        this.topics.set(spec.name, { spec, partitions: Array.from({ length: spec.partitions }, () => []), roundRobin: 0 });
        continue;
      }
      checkTopicCompatible(spec, existing.spec);
    }
  }

  async deleteTopics(names: string[]): Promise<void> {
    for (const name of names) this.topics.delete(name);
  }

  async publish(records: OutgoingRecord[]): Promise<void> {
    // Resolve every topic first so a bad record publishes nothing, as a failed Kafka send would.
    const placed = records.map((record) => ({ record, topic: this.topic(record.topic) }));
    for (const { record, topic } of placed) this.append(topic, record);
    // Only the members reading a topic that grew look again.
    for (const name of new Set(records.map((record) => record.topic))) this.appended.emit(name);
  }

  async endOffsets(topic: string): Promise<TopicPartitionOffset[]> {
    return this.topic(topic).partitions.map((log, partition) => ({ topic, partition, offset: String(log.length) }));
  }

  async offsetsAt(topic: string, timestampMs: number): Promise<TopicPartitionOffset[]> {
    return this.topic(topic).partitions.map((log, partition) => {
      const first = log.findIndex((record) => record.timestampMs >= timestampMs);
      return { topic, partition, offset: String(first === -1 ? log.length : first) };
    });
  }

  async committedOffsets(groupId: string, topic: string): Promise<TopicPartitionOffset[]> {
    const committed = this.group(groupId).committed;
    return this.topic(topic).partitions.flatMap((_, partition) => {
      const offset = committed.get(tp(topic, partition));
      return offset === undefined ? [] : [{ topic, partition, offset: String(offset) }];
    });
  }

  async transaction(_transactionalId: string): Promise<Transaction> {
    const pending: OutgoingRecord[] = [];
    const pendingOffsets: Array<{ groupId: string; offsets: TopicPartitionOffset[] }> = [];
    let open = true;
    const ensureOpen = () => {
      if (!open) throw new Error('transaction already committed or aborted');
    };
    return {
      publish: async (records) => {
        ensureOpen();
        for (const record of records) this.topic(record.topic);
        pending.push(...records);
      },
      commitOffsets: async (groupId, offsets) => {
        ensureOpen();
        pendingOffsets.push({ groupId, offsets });
      },
      commit: async () => {
        ensureOpen();
        open = false;
        for (const { groupId, offsets } of pendingOffsets) this.commit(groupId, offsets);
        await this.publish(pending);
      },
      abort: async () => {
        ensureOpen();
        open = false;
      },
    };
  }

  async consume(options: ConsumeOptions): Promise<Consumer> {
    for (const name of options.topics) this.topic(name);
    const group = this.group(options.groupId);
    const member = new Member(this, options);
    group.members.push(member);
    this.rebalance(options.groupId);
    member.start();
    return member;
  }

  async close(): Promise<void> {
    for (const group of this.groups.values()) await Promise.all(group.members.map((member) => member.stop()));
  }

  /**
   * Resolves once nothing is in flight: every consumer has handled all it was assigned and waits
   * for more. A backtest advances its simulated clock only then, so each recorded event's
   * consequences (routes, orders, fills, positions) happen at that event's time.
   */
  settled(): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Test helper for the contract suite and tools: the records of one partition. */
  records(topic: string, partition: number): readonly ConsumedRecord[] {
    return this.topic(topic).partitions[partition] ?? [];
  }

  // --- used by Member ---

  topic(name: string): Topic {
    const topic = this.topics.get(name);
    if (!topic) throw new Error(`unknown topic ${name}: create it with ensureTopics first`);
    return topic;
  }

  group(groupId: string): Group {
    let group = this.groups.get(groupId);
    if (!group) {
      group = { committed: new Map(), members: [] };
      this.groups.set(groupId, group);
    }
    return group;
  }

  commit(groupId: string, offsets: TopicPartitionOffset[]): void {
    const group = this.group(groupId);
    for (const { topic, partition, offset } of offsets) group.committed.set(tp(topic, partition), Number(offset));
  }

  leave(groupId: string, member: Member): void {
    const group = this.group(groupId);
    group.members = group.members.filter((m) => m !== member);
    this.rebalance(groupId);
  }

  /** A member went idle (it found nothing to deliver, or stopped): settles the waiters if every member is. */
  memberIdle(): void {
    if (this.settledWaiters.length > 0 && this.isSettled()) for (const resolve of this.settledWaiters.splice(0)) resolve();
  }

  /** Calls `listener` whenever records are appended to one of `topics`; returns the unsubscribe. */
  onAppend(topics: readonly string[], listener: () => void): () => void {
    for (const name of topics) this.appended.on(name, listener);
    return () => {
      for (const name of topics) this.appended.off(name, listener);
    };
  }

  private isSettled(): boolean {
    for (const group of this.groups.values()) for (const member of group.members) if (!member.idle()) return false;
    return true;
  }

  /** Every subscribed partition number goes to the same member in every topic, as on Kafka. */
  private rebalance(groupId: string): void {
    const group = this.group(groupId);
    group.members.forEach((member, index) => {
      const mine = member.topics.flatMap((name) =>
        this.topic(name)
          .partitions.map((_, partition) => partition)
          .filter((partition) => ownerOfPartition(partition, group.members.length) === index)
          .map((partition) => tp(name, partition)),
      );
      member.assign(mine);
    });
  }

  private append(topic: Topic, record: OutgoingRecord): void {
    if (record.partition !== undefined && !(record.partition >= 0 && record.partition < topic.spec.partitions)) {
      throw new Error(`${topic.spec.name} has no partition ${record.partition}`);
    }
    const partition =
      record.partition ??
      (record.key === null ? topic.roundRobin++ % topic.spec.partitions : partitionForKey(topic.spec.name, record.key, topic.spec.partitions));
    const log = topic.partitions[partition]!;
    log.push({
      topic: topic.spec.name,
      partition,
      offset: String(log.length),
      key: record.key,
      value: record.value,
      headers: { ...record.headers },
      timestampMs: Date.now(),
    });
  }
}

/** An assigned partition, resolved once: the delivery loop looks at every one on every wake. */
interface Assignment {
  key: string;
  topic: Topic;
  partition: number;
}

/** One consumer in a group: delivers its assigned partitions one batch at a time. */
class Member implements Consumer {
  readonly topics: string[];
  private assigned: Assignment[] = [];
  private readonly positions = new Map<string, number>();
  private running = false;
  /** True while it waits for records, having found none to deliver. */
  private waiting = false;
  /** Bumped by every seek, so a batch finishing after a seek does not move the position past it. */
  private seeks = 0;
  private loop: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly tracker: CatchUpTracker;

  constructor(
    private readonly bus: InProcessBus,
    private readonly options: ConsumeOptions,
  ) {
    this.topics = options.topics;
    this.tracker = new CatchUpTracker(options.groupId, options.commit === false);
  }

  assign(partitions: string[]): void {
    this.assigned = partitions.map((key) => {
      const { topic, partition } = parseKey(key);
      return { key, topic: this.bus.topic(topic), partition };
    });
    // As on Kafka: a group that does not commit reads every partition of a new assignment from the start.
    for (const key of [...this.positions.keys()]) if (!partitions.includes(key) || this.options.commit === false) this.positions.delete(key);
    this.tracker.joined();
    this.options.onAssigned?.(partitions.map(parseKey));
    this.tracker.assigned(
      partitions.map((key) => {
        const { topic, partition } = parseKey(key);
        const end = this.bus.topic(topic).partitions[partition]!.length;
        return { topic, partition, start: BigInt(this.position(key, end)), end: BigInt(end) };
      }),
    );
    this.rouse();
  }

  /** Nothing to deliver and nothing being delivered: it waits, and nothing has roused it since. */
  idle(): boolean {
    return !this.running || this.waiting;
  }

  catchUp(): CatchUp {
    return this.tracker.state();
  }

  start(): void {
    this.running = true;
    this.unsubscribe = this.bus.onAppend(this.topics, () => this.rouse());
    this.loop = this.run();
  }

  seek(topic: string, partition: number, offset: string): void {
    this.positions.set(tp(topic, partition), Number(offset));
    this.tracker.seeked(topic, partition, BigInt(offset));
    this.seeks++;
    this.rouse();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.rouse();
    await this.loop;
    this.bus.leave(this.options.groupId, this);
    this.bus.memberIdle();
  }

  /** Something may have changed (records appended, a seek, a new assignment): look again. */
  private rouse(): void {
    this.waiting = false;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let delivered = false;
      for (const assignment of this.assigned) {
        if (!this.running) return;
        const batch = this.nextBatch(assignment);
        if (!batch) continue;
        delivered = true;
        await this.deliver(assignment.key, batch);
      }
      if (!delivered) {
        this.waiting = true;
        this.bus.memberIdle();
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
      this.wake = undefined;
    }
  }

  private nextBatch({ key, topic, partition }: Assignment): ConsumedBatch | undefined {
    const log = topic.partitions[partition]!;
    const position = this.position(key, log.length);
    if (position >= log.length) return undefined;
    const records = log.slice(position, position + MAX_BATCH);
    return { topic: topic.spec.name, partition, records, highWatermark: String(log.length) };
  }

  private position(key: string, end: number): number {
    let position = this.positions.get(key);
    if (position === undefined) {
      position = this.bus.group(this.options.groupId).committed.get(key) ?? (this.options.fromBeginning ? 0 : end);
      this.positions.set(key, position);
    }
    return position;
  }

  private async deliver(key: string, batch: ConsumedBatch): Promise<void> {
    const seeksBefore = this.seeks;
    for (let attempt = 0; this.running; attempt++) {
      try {
        await this.options.handleBatch(batch);
        break;
      } catch (error) {
        this.options.onBatchError?.(error, batch);
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
      }
    }
    if (!this.running || !this.assigned.some((assignment) => assignment.key === key)) return;
    // A seek during the handler wins over the position the batch would have advanced to.
    if (this.seeks !== seeksBefore) return;
    const next = Number(batch.records.at(-1)!.offset) + 1;
    this.positions.set(key, next);
    this.tracker.advanced(batch.topic, batch.partition, BigInt(next));
    if (this.options.commit !== false) this.bus.commit(this.options.groupId, [{ topic: batch.topic, partition: batch.partition, offset: String(next) }]);
  }
}

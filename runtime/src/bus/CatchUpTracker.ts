import type { CatchUp } from './Bus.ts';

/** A partition just assigned to a consumer: where its reading starts and where the partition ended then. */
export interface AssignedPartition {
  topic: string;
  partition: number;
  /** The next offset the consumer reads: its group's committed offset, or the start or end of the log. */
  start: bigint;
  /** The partition's end offset when it was assigned: the backlog to read before the consumer is caught up. */
  end: bigint;
}

/**
 * The next offset a consumer reads on a partition just assigned: its group's committed offset, or,
 * for none (Kafka answers -1) or a commit below the log start (out of range, reset like none), the
 * log's start or end as `fromBeginning` says.
 */
export function readingStart(committed: bigint, low: bigint, high: bigint, fromBeginning: boolean): bigint {
  return committed >= low ? committed : fromBeginning ? low : high;
}

const tp = (topic: string, partition: number) => `${topic}[${partition}]`;

/**
 * Whether one consumer has caught up: every partition of its current assignment read up to the end
 * the partition had when it was assigned. The end is fixed at assignment so that a busy topic
 * (books arriving all the time) does not keep it from ever catching up; records arriving later
 * are ordinary lag (crossvenue_consumer_lag), not a reason to be unready. Shared by the bus
 * implementations so both say "caught up" on the same rule.
 */
export class CatchUpTracker {
  /** Partitions of the assignment still behind, with the next offset to read; undefined before an assignment. */
  private behind: Map<string, { position: bigint; end: bigint }> | undefined;
  /** The next offset to read per partition, as far as handled batches took it (kept across assignments). */
  private readonly handled = new Map<string, bigint>();
  /** Where a seek moved each partition's reading. */
  private readonly moved = new Map<string, bigint>();
  private waiting: string;

  /** `rereads`: the group never commits, so every partition of an assignment is read again from its start. */
  constructor(
    private readonly groupId: string,
    private readonly rereads = false,
  ) {
    this.waiting = `group ${groupId}: no partitions assigned yet`;
  }

  /** No assignment is known (the group is rebalancing, or its offsets could not be read): not caught up, for `reason`. */
  unassigned(reason: string): void {
    this.behind = undefined;
    this.waiting = `group ${this.groupId}: ${reason}`;
  }

  /**
   * The group gave the consumer a new assignment, whose offsets are read next (assigned), while
   * the consumer already fetches. With `rereads`, what it handled before the join is read again;
   * what it handles from now on counts, even before assigned() (a small backlog is often read whole
   * by then). Earlier seeks are forgotten: a worker seeks again for the new assignment.
   */
  joined(): void {
    if (this.rereads) this.handled.clear();
    this.moved.clear();
  }

  assigned(partitions: readonly AssignedPartition[]): void {
    this.behind = new Map();
    for (const { topic, partition, start, end } of partitions) {
      const key = tp(topic, partition);
      const handled = this.handled.get(key);
      const position = this.moved.get(key) ?? (handled !== undefined && handled > start ? handled : start);
      if (position < end) this.behind.set(key, { position, end });
    }
  }

  /**
   * The consumer was moved to `offset` (Consumer.seek): reading goes on from there, so the records
   * before it are not part of the backlog. Kept for the assignment it may come before (a worker
   * seeks every partition of each new assignment).
   */
  seeked(topic: string, partition: number, offset: bigint): void {
    const key = tp(topic, partition);
    this.moved.set(key, offset);
    const behind = this.behind?.get(key);
    if (!behind) return;
    behind.position = offset;
    if (offset >= behind.end) this.behind!.delete(key);
  }

  /** A batch of the partition was handled; `next` is the offset after its last record. */
  advanced(topic: string, partition: number, next: bigint): void {
    const key = tp(topic, partition);
    if (next > (this.handled.get(key) ?? -1n)) this.handled.set(key, next);
    const behind = this.behind?.get(key);
    if (!behind || next <= behind.position) return;
    if (next >= behind.end) this.behind!.delete(key);
    else behind.position = next;
  }

  state(): CatchUp {
    if (!this.behind) return { caughtUp: false, reason: this.waiting };
    const [first] = this.behind;
    if (!first) return { caughtUp: true };
    const [key, { position, end }] = first;
    const others = this.behind.size - 1;
    return {
      caughtUp: false,
      reason: `group ${this.groupId}: ${key} is ${end - position} records behind the end it had when assigned${others > 0 ? ` (and ${others} more partitions behind)` : ''}`,
    };
  }
}

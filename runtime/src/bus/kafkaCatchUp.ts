import type { Admin, Consumer as KafkaJsConsumer } from 'kafkajs';
import type { CatchUp, ConsumeOptions } from './Bus.ts';
import { CatchUpTracker, readingStart, type AssignedPartition } from './CatchUpTracker.ts';
import { retryRetriable } from './retry.ts';

/**
 * How far a kafkajs consumer has caught up (Consumer.catchUp). kafkajs says when the group
 * assigned partitions (GROUP_JOIN) and when a batch was processed (END_BATCH_PROCESS, also for a
 * batch holding only transaction markers, which never reaches the handler); the admin client reads
 * each assigned partition's end and the group's committed offset. The end is compared with where
 * reading starts because an idle partition never delivers a batch at all.
 *
 * A rebalance keeps the previous answer until the new assignment's offsets are read, so a ready
 * worker does not blink unready each time another replica joins its group.
 */
export function trackCatchUp(
  consumer: KafkaJsConsumer,
  admin: () => Promise<Admin>,
  options: Pick<ConsumeOptions, 'groupId' | 'fromBeginning' | 'commit'>,
): { state: () => CatchUp; seeked: CatchUpTracker['seeked'] } {
  const tracker = new CatchUpTracker(options.groupId, options.commit === false);
  let assignment: Record<string, number[]> | undefined;
  let generation = 0;
  let failed = false;

  const load = async (current: number, partitions: Record<string, number[]>) => {
    try {
      const assigned = await assignedPartitions(await admin(), options.groupId, partitions, options.fromBeginning ?? false);
      if (current === generation) tracker.assigned(assigned);
    } catch (error) {
      if (current !== generation) return;
      failed = true;
      tracker.unassigned(`reading the offsets of its partitions failed (${error instanceof Error ? error.message : String(error)})`);
    }
  };

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    tracker.joined();
    assignment = payload.memberAssignment;
    failed = false;
    void load(++generation, assignment);
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => tracker.advanced(payload.topic, payload.partition, BigInt(payload.lastOffset) + 1n));

  return {
    state: () => {
      // A failed read is tried again when someone asks (a readiness probe), not on a timer of its own.
      if (failed && assignment) {
        failed = false;
        void load(++generation, assignment);
      }
      return tracker.state();
    },
    seeked: (topic, partition, offset) => tracker.seeked(topic, partition, offset),
  };
}

async function assignedPartitions(admin: Admin, groupId: string, assignment: Record<string, number[]>, fromBeginning: boolean): Promise<AssignedPartition[]> {
  const topics = Object.keys(assignment).filter((topic) => assignment[topic]!.length > 0);
  if (topics.length === 0) return [];
  const committed = await retryRetriable(() => admin.fetchOffsets({ groupId, topics }));
  const assigned: AssignedPartition[] = [];
  for (const topic of topics) {
    const offsets = await retryRetriable(() => admin.fetchTopicOffsets(topic));
    for (const partition of assignment[topic]!) {
      const log = offsets.find((offsets) => offsets.partition === partition);
      if (!log) throw new Error(`${topic}[${partition}] has no offsets`);
      const [low, high] = [BigInt(log.low), BigInt(log.high)];
      const groupOffset = BigInt(committed.find((t) => t.topic === topic)?.partitions.find((p) => p.partition === partition)?.offset ?? '-1');
      assigned.push({ topic, partition, start: readingStart(groupOffset, low, high, fromBeginning), end: high });
    }
  }
  return assigned;
}

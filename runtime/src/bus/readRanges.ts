import { randomUUID } from 'node:crypto';
import type { TopicDefinition } from '@crossvenue/schemas';
import type { Delivered, MessageBus, ValueOf } from './MessageBus.ts';

/** Where reading one partition starts. */
export interface RangeStart {
  topic: string;
  partition: number;
  offset: bigint;
}

const POLL_MS = 10;

/**
 * Reads the given partitions from the given offsets to the ends they have now, and no other
 * partition of the topics: a worker recovering reads only what came after its snapshot. A group of
 * its own that starts at the end, moved back to each start (Consumer.seek), so nothing before a
 * start is fetched at all. Resolves once every record up to each end was handled.
 */
export async function readRanges<T extends TopicDefinition>(
  messages: MessageBus,
  topics: readonly T[],
  starts: readonly RangeStart[],
  handle: (record: Delivered<ValueOf<T>>) => void,
  options: { what: string; timeoutMs: number },
): Promise<number> {
  const ends = new Map<string, bigint>();
  for (const topic of topics) for (const { partition, offset } of await messages.bus.endOffsets(topic.name)) ends.set(`${topic.name}|${partition}`, BigInt(offset));
  const behind = new Map<string, bigint>();
  for (const { topic, partition, offset } of starts) {
    const end = ends.get(`${topic}|${partition}`) ?? 0n;
    if (offset < end) behind.set(`${topic}|${partition}`, end);
  }
  if (behind.size === 0) return 0;
  let read = 0;
  const consumer = await messages.subscribe({
    groupId: `range-${randomUUID()}`,
    topics,
    fromBeginning: false,
    handle: async (batch) => {
      for (const record of batch) {
        const key = `${record.topic}|${record.partition}`;
        const end = behind.get(key);
        if (end === undefined || BigInt(record.offset) >= end) continue;
        handle(record);
        read += 1;
        if (BigInt(record.offset) + 1n >= end) behind.delete(key);
      }
    },
  });
  try {
    for (const { topic, partition, offset } of starts) if (behind.has(`${topic}|${partition}`)) consumer.seek(topic, partition, String(offset));
    const started = Date.now();
    while (behind.size > 0) {
      if (Date.now() - started > options.timeoutMs) throw new Error(`reading ${options.what} did not reach the end in ${options.timeoutMs} ms: ${[...behind.keys()].join(', ')} behind`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    await consumer.stop();
  }
  return read;
}

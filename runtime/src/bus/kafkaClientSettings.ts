import type { ConsumeOptions, TopicSpec } from './Bus.ts';

/**
 * What every Kafka implementation of the bus is set up with, whichever client library it uses, so
 * that switching the client changes no timing, topic or batching a worker relies on.
 */

/** How long a worker waits at start for the leaders of topics another worker has just created. */
export const TOPIC_LEADERS_TIMEOUT_MS = 60_000;

/** Short fetch waits keep end-to-end latency low on a quiet topic. */
export const FETCH_MAX_WAIT_MS = 250;

/** Bytes of keys and values per send: half the broker's default limit leaves room for the batch's own overhead. */
export const MAX_SEND_BYTES = 512 * 1024;

export const SESSION_TIMEOUT_MS = 15_000;
const HEARTBEAT_INTERVAL_MS = 3_000;

/** A third of the session at most, as Kafka advises, so one late heartbeat never costs the membership. */
export function heartbeatIntervalMs(options: Pick<ConsumeOptions, 'sessionTimeoutMs'>): number {
  return Math.min(HEARTBEAT_INTERVAL_MS, Math.floor((options.sessionTimeoutMs ?? SESSION_TIMEOUT_MS) / 3));
}

/** The topic configuration a catalogue spec asks for, as broker config entries. */
export function topicConfig(spec: TopicSpec): Array<{ name: string; value: string }> {
  const entries = [{ name: 'cleanup.policy', value: spec.compacted ? 'compact' : 'delete' }];
  if (spec.retentionMs !== undefined) entries.push({ name: 'retention.ms', value: String(spec.retentionMs) });
  if (spec.maxMessageBytes !== undefined) entries.push({ name: 'max.message.bytes', value: String(spec.maxMessageBytes) });
  return entries;
}

/** Whether a topic's cleanup.policy value (a comma-separated list) compacts. */
export function compacts(cleanupPolicy: string | null | undefined): boolean {
  return cleanupPolicy?.split(',').includes('compact') ?? false;
}

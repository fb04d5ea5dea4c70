import type { Infer, RecordSchema } from '../avro/AvroSchema.ts';
import type { TopicSpec } from './TopicSpec.ts';

export interface TopicDefinition<S extends RecordSchema = RecordSchema> extends TopicSpec {
  /** The value schema; its subject is `<name>-value` (TopicNameStrategy). */
  schema: S;
  /** What the key is, and why: keys decide which processor instance sees a record, in order. */
  keyDoc: string;
  /** The key of a message, derived from the message, never chosen by the publisher. */
  key: (value: Infer<S>) => string;
  /** Where records that cannot be decoded or break the contract go, with their original bytes. */
  deadLetter: TopicSpec;
}

export type MessageOf<T> = T extends TopicDefinition<infer S> ? Infer<S> : never;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Dead letters wait for a person: kept for 30 days, one partition each is plenty. */
const DEAD_LETTER_RETENTION_MS = 30 * DAY_MS;

export function defineTopic<S extends RecordSchema>(
  definition: Omit<TopicDefinition<S>, 'deadLetter'>,
): TopicDefinition<S> {
  return {
    ...definition,
    deadLetter: { name: `dlq.${definition.name}`, partitions: 1, compacted: false, retentionMs: DEAD_LETTER_RETENTION_MS },
  };
}

export { DAY_MS };

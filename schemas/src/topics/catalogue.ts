import { BookSnapshotSchema } from '../messages/BookSnapshot.ts';
import { DAY_MS, defineTopic, type TopicDefinition } from './TopicDefinition.ts';

/**
 * The one topic catalogue every worker uses. Market data and intents are keyed by instrument and
 * share a partition count, so books and the intents routed against them are co-partitioned.
 */
export const MARKET_PARTITIONS = 6;

export const TOPICS = {
  bookSnapshots: defineTopic({
    name: 'md.book-snapshots',
    schema: BookSnapshotSchema,
    keyDoc: 'instrument: co-partitioned with book deltas and intents for the same instrument',
    key: (book) => book.instrument,
    partitions: MARKET_PARTITIONS,
    compacted: false,
    retentionMs: DAY_MS,
  }),
} as const;

export type TopicKey = keyof typeof TOPICS;

export const ALL_TOPICS: TopicDefinition[] = Object.values(TOPICS) as TopicDefinition[];

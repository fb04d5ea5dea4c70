import type { TopicDefinition } from '@crossvenue/schemas';
import { auditColumns, type AuditColumn } from './auditColumns.ts';

export const AUDIT_DATABASE = 'crossvenue';

/** Where the audit sink writes a record, next to the message's own columns. */
const RECORD_COLUMNS: Array<[name: string, type: string]> = [
  ['source_topic', 'String'],
  ['source_partition', 'UInt32'],
  ['source_offset', 'UInt64'],
  ['kafka_timestamp_ms', 'Int64'],
  ['inserted_at_ms', 'Int64'],
  // The message as JSON, decimals as the exact strings they were on the wire.
  ['payload', 'String'],
];

export interface AuditTable {
  topic: TopicDefinition;
  /** `crossvenue.md_book_snapshots` for `md.book-snapshots`. */
  name: string;
  columns: AuditColumn[];
}

/**
 * The columns an audit row fills, in its order: named on every insert, so a table that has more
 * (a newer schema applied before this sink was upgraded) still takes its rows, the others left at
 * their defaults, instead of refusing every batch.
 */
export function auditColumnNames(table: AuditTable): [string, ...string[]] {
  return [...table.columns.map((column) => column.name), ...RECORD_COLUMNS.map(([name]) => name)] as [string, ...string[]];
}

export function auditTable(topic: TopicDefinition): AuditTable {
  return { topic, name: `${AUDIT_DATABASE}.${topic.name.replace(/[.-]/g, '_')}`, columns: auditColumns(topic.schema) };
}

/**
 * The table of one topic. Runs on ClickHouse 18.16 and current releases: integer epoch ms, no
 * DateTime64, no JSON type. ReplacingMergeTree on event_id makes redelivery idempotent: a batch
 * inserted twice collapses to one row per event (exact at once with FINAL, eventually on merge).
 * Partitioned by the Kafka record time, which a redelivered record keeps.
 */
export function auditTableDdl({ topic, name, columns }: AuditTable): string {
  const lines = [
    ...columns.map((column) => [column.name, column.type] as const),
    ...RECORD_COLUMNS,
  ].map(([column, type]) => `    ${column} ${type}`);
  return [
    `-- ${topic.name}: ${topic.schema.namespace}.${topic.schema.name}`,
    `CREATE TABLE IF NOT EXISTS ${name}`,
    '(',
    lines.join(',\n'),
    ')',
    'ENGINE = ReplacingMergeTree(inserted_at_ms)',
    'PARTITION BY toYYYYMM(toDateTime(intDiv(kafka_timestamp_ms, 1000)))',
    'ORDER BY event_id;',
  ].join('\n');
}

/** The whole audit schema, as committed in `infra/clickhouse/001_audit_tables.sql`. */
export function auditSchemaSql(topics: readonly TopicDefinition[]): string {
  const header = [
    '-- Generated from the Avro schemas of the topic catalogue by `npx crossvenue audit ddl --write`;',
    '-- a test fails when this file and the schemas disagree. Do not edit by hand.',
    `CREATE DATABASE IF NOT EXISTS ${AUDIT_DATABASE};`,
  ].join('\n');
  return `${[header, ...topics.map((topic) => auditTableDdl(auditTable(topic)))].join('\n\n')}\n`;
}

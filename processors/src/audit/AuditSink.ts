import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Consumer, Delivered, MessageBus } from '@crossvenue/runtime';
import type { TopicDefinition } from '@crossvenue/schemas';
import { auditColumnNames, auditTable, type AuditTable } from './auditTables.ts';
import { tsvRow } from './tsv.ts';

/**
 * Writes every record of the given topics to its ClickHouse audit table.
 *
 * Batches are the bus's partition batches, bounded in size by the fetch and in time by the fetch
 * wait. A batch's offsets are committed only after its insert succeeded; while ClickHouse is down
 * the insert throws, the bus backs off and delivers the same batch again (back-pressure, nothing
 * lost), and rows that land twice collapse on event_id (ReplacingMergeTree).
 */
export class AuditSink {
  private readonly tables: Map<string, AuditTable>;
  private consumer: Consumer | undefined;

  constructor(
    private readonly messages: MessageBus,
    private readonly clickhouse: ClickHouseClient,
    topics: readonly TopicDefinition[],
    private readonly groupId = 'audit-sink',
  ) {
    this.tables = new Map(topics.map((topic) => [topic.name, auditTable(topic)]));
  }

  async start(): Promise<void> {
    this.consumer = await this.messages.subscribe({
      groupId: this.groupId,
      topics: [...this.tables.values()].map((table) => table.topic),
      fromBeginning: true,
      handle: (batch) => this.insert(batch),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  private async insert(batch: Array<Delivered<unknown>>): Promise<void> {
    const table = this.tables.get(batch[0]!.topic)!;
    const insertedAtMs = Date.now();
    const text = batch.map((message) => tsvRow(auditRow(table, message, insertedAtMs))).join('');
    await this.clickhouse.insert({ table: table.name, columns: auditColumnNames(table), format: 'TabSeparated', values: Readable.from([text], { objectMode: false }) });
  }
}

/** One audit row: the decoded message and where it was read (the original bytes are not kept). */
export function auditRow(table: AuditTable, message: Omit<Delivered<unknown>, 'raw'>, insertedAtMs: number) {
  return [
    ...table.columns.map((column) => column.value(message.value)),
    message.topic,
    message.partition,
    message.offset,
    message.timestampMs,
    insertedAtMs,
    JSON.stringify(message.value),
  ];
}

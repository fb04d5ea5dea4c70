import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import { TOPICS, type BookSnapshot, type Consumer, type Delivered, type MessageBus } from '@crossvenue/schemas';
import { tsvRow } from './tsv.ts';

export const AUDIT_DATABASE = 'crossvenue';

/**
 * Writes every book snapshot to `crossvenue.book_snapshots`. A batch's offsets are committed only
 * after its insert succeeded; if ClickHouse is down the insert throws, the bus delivers the batch
 * again after a back-off, and rows that do land twice collapse on `event_id` (ReplacingMergeTree).
 */
export class BookSnapshotAuditSink {
  private consumer: Consumer | undefined;

  constructor(
    private readonly messages: MessageBus,
    private readonly clickhouse: ClickHouseClient,
    private readonly groupId = 'audit-sink',
  ) {}

  async start(): Promise<void> {
    this.consumer = await this.messages.subscribe({
      groupId: this.groupId,
      topics: [TOPICS.bookSnapshots],
      fromBeginning: true,
      handle: (batch) => this.insert(batch),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  private async insert(batch: Array<Delivered<BookSnapshot>>): Promise<void> {
    const insertedAtMs = Date.now();
    const text = batch.map((message) => tsvRow(toRow(message, insertedAtMs))).join('');
    await this.clickhouse.insert({
      table: `${AUDIT_DATABASE}.book_snapshots`,
      format: 'TabSeparated',
      values: Readable.from([text], { objectMode: false }),
    });
  }
}

function toRow({ value: book, topic, partition, offset }: Delivered<BookSnapshot>, insertedAtMs: number) {
  return [
    book.eventId,
    book.venue,
    book.instrument,
    book.venueSymbol,
    book.sequence,
    book.venueTimeMs,
    book.receivedAtMs,
    { decimals: book.bids.map((level) => level.price) },
    { decimals: book.bids.map((level) => level.quantity) },
    { decimals: book.asks.map((level) => level.price) },
    { decimals: book.asks.map((level) => level.quantity) },
    topic,
    partition,
    offset,
    insertedAtMs,
  ];
}

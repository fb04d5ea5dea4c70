/**
 * Rows per second into ClickHouse through the audit sink (Kafka → decode → TSV → insert, offsets
 * committed after each insert), side by side with one direct bulk insert of the same rows.
 * Needs the local stack (`npx crossvenue stack up`). Prints; never asserts.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { createClient } from '@clickhouse/client';
import { createLogger, kafkaMessageBus, resolveEndpoints } from '@crossvenue/runtime';
import { defineTopic, TOPICS, type Fill } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { waitFor } from '@crossvenue/runtime/testing';
import { AuditSink, auditRow } from './AuditSink.ts';
import { auditTable, auditTableDdl } from './auditTables.ts';
import { tsvRow } from './tsv.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
const endpoints = resolveEndpoints();
const logger = createLogger('audit-bench', { level: 'warn' });
const clickhouse = createClient({ url: endpoints.clickhouseUrl, ...endpoints.clickhouseAuth });
const count = async (table: string) =>
  Number((await (await clickhouse.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n);

const run = randomUUID().slice(0, 8);
const topic = defineTopic({ name: `bench.audit-fills.${run}`, schema: TOPICS.fills.schema, keyDoc: 'portfolio', key: (f) => f.portfolio, partitions: 6, compacted: false });
const table = auditTable(topic);
const direct = { ...table, name: `${table.name}_direct` };
await clickhouse.command({ query: 'CREATE DATABASE IF NOT EXISTS crossvenue' });
for (const each of [table, direct]) await clickhouse.command({ query: auditTableDdl(each) });

const base = EXAMPLES.find((example) => example.schema === TOPICS.fills.schema)!.value as Fill;
const fills: Fill[] = Array.from({ length: ROWS }, (_, i) => ({ ...base, eventId: `${run}-${i}`, venueTradeId: String(i), portfolio: `p${i % 12}` }));
const messages = kafkaMessageBus('audit-bench', logger);
await messages.prepare([topic]);
for (let i = 0; i < fills.length; i += 1_000) await messages.publish(topic, fills.slice(i, i + 1_000));

const sinkStarted = performance.now();
const sink = new AuditSink(messages, clickhouse, [topic], `audit-bench-${run}`);
await sink.start();
await waitFor(`${ROWS} rows through the sink`, async () => (await count(table.name)) >= ROWS, 300_000);
const sinkSeconds = (performance.now() - sinkStarted) / 1_000;
await sink.stop();

const text = fills
  .map((value, offset) => tsvRow(auditRow(table, { topic: topic.name, partition: 0, offset: String(offset), key: value.portfolio, value, headers: {}, timestampMs: Date.now() }, Date.now())))
  .join('');
const directStarted = performance.now();
await clickhouse.insert({ table: direct.name, format: 'TabSeparated', values: Readable.from([text], { objectMode: false }) });
const directSeconds = (performance.now() - directStarted) / 1_000;

console.log(`\naudit sink into ClickHouse, ${ROWS} fills (includes the consumer group join)`);
console.table([
  { path: 'Kafka → audit sink → ClickHouse', seconds: sinkSeconds.toFixed(2), 'rows/s': Math.round(ROWS / sinkSeconds) },
  { path: 'direct bulk insert (same rows)', seconds: directSeconds.toFixed(2), 'rows/s': Math.round(ROWS / directSeconds) },
]);
for (const each of [table, direct]) await clickhouse.command({ query: `DROP TABLE ${each.name}` });
await messages.bus.close();
await clickhouse.close();

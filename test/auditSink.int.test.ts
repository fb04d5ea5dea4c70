import { randomUUID } from 'node:crypto';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { applyClickHouseSchema } from '@crossvenue/infra';
import { AuditSink, auditTable, auditTableDdl } from '@crossvenue/processors';
import type { MessageBus } from '@crossvenue/runtime';
import {
  AUDITED_TOPICS,
  Decimal,
  defineTopic,
  TOPICS,
  type Fill,
  type TopicDefinition,
} from '@crossvenue/schemas';
import { createLogger, kafkaMessageBus, resolveEndpoints, WorkerMetrics } from '@crossvenue/runtime';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateClickhouse } from './support/privateClickhouse.ts';

const endpoints = resolveEndpoints();
const logger = createLogger('audit-sink-test', { level: 'error' });

function messageBus(clientId: string, metrics?: WorkerMetrics): MessageBus {
  return kafkaMessageBus(clientId, logger, { metrics });
}

async function count(clickhouse: ClickHouseClient, query: string): Promise<number> {
  const rows = await (await clickhouse.query({ query, format: 'JSONEachRow' })).json<{ n: string }>();
  return Number(rows[0]?.n ?? 0);
}

const exampleOf = (topic: TopicDefinition) => EXAMPLES.find((example) => example.schema === topic.schema)!.value as Record<string, unknown>;

describe('audit sink on the real Kafka, schema registry and ClickHouse', () => {
  const publisher = messageBus('audit-test-publisher');
  const clickhouse = createClient({ url: endpoints.clickhouseUrl });
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    await applyClickHouseSchema(endpoints.clickhouseUrl);
    await publisher.prepare(AUDITED_TOPICS);
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
    await publisher.bus.close();
    await clickhouse.close();
  });

  async function startSink(topics: readonly TopicDefinition[], into: ClickHouseClient, metrics?: WorkerMetrics) {
    const messages = messageBus(`audit-test-sink-${randomUUID().slice(0, 8)}`, metrics);
    await messages.prepare(topics);
    const groupId = `audit-test-${randomUUID()}`;
    const sink = new AuditSink(messages, into, topics, groupId);
    await sink.start();
    stops.push(async () => {
      await sink.stop();
      await messages.bus.close();
    });
    return { groupId, bus: messages.bus };
  }

  it('lands a record of every catalogue topic with its exact payload, once, even when delivered twice', async () => {
    const run = randomUUID().slice(0, 8);
    const sent = new Map<TopicDefinition, Record<string, unknown>>();
    for (const topic of AUDITED_TOPICS) {
      const value = { ...exampleOf(topic), eventId: `${run}-${topic.name}` };
      sent.set(topic, value);
      await publisher.publish(topic, [value as never]);
    }
    await startSink(AUDITED_TOPICS, clickhouse);
    const landed = async (topic: TopicDefinition) =>
      count(clickhouse, `SELECT count() AS n FROM ${auditTable(topic).name} FINAL WHERE event_id = '${run}-${topic.name}'`);
    await waitFor('a row in every audit table', async () => (await Promise.all(AUDITED_TOPICS.map(landed))).every((n) => n === 1), 60_000);

    for (const [topic, value] of sent) {
      const [row] = await (
        await clickhouse.query({ query: `SELECT payload FROM ${auditTable(topic).name} WHERE event_id = '${value.eventId}' LIMIT 1`, format: 'JSONEachRow' })
      ).json<{ payload: string }>();
      expect(JSON.parse(row!.payload), topic.name).toEqual(JSON.parse(JSON.stringify(value)));
    }
    const fill = sent.get(TOPICS.fills) as Fill;
    const [priced] = await (
      await clickhouse.query({ query: `SELECT toString(price) AS price, toString(fee) AS fee FROM ${auditTable(TOPICS.fills).name} WHERE event_id = '${fill.eventId}'`, format: 'JSONEachRow' })
    ).json<{ price: string; fee: string }>();
    expect(new Decimal(priced!.price).equals(fill.price) && new Decimal(priced!.fee).equals(fill.fee)).toBe(true);

    // A second sink group reads the fills again and inserts them again; its offsets are committed
    // only after an insert succeeded, so passing our fill's offset proves the second insert happened.
    const [source] = await (
      await clickhouse.query({ query: `SELECT source_partition AS partition, toString(source_offset) AS offset FROM ${auditTable(TOPICS.fills).name} WHERE event_id = '${fill.eventId}' LIMIT 1`, format: 'JSONEachRow' })
    ).json<{ partition: number; offset: string }>();
    const again = await startSink([TOPICS.fills], clickhouse);
    const insertedAgain = async () =>
      (await again.bus.committedOffsets(again.groupId, TOPICS.fills.name)).some(
        ({ partition, offset }) => partition === source!.partition && BigInt(offset) > BigInt(source!.offset),
      );
    await waitFor('the second sink past our fill', insertedAgain, 60_000);
    expect(await landed(TOPICS.fills)).toBe(1);
  });

  it('keeps inserting into a table that has gained a column it does not know (a newer schema applied first)', async () => {
    const topic = defineTopic({
      name: `test.audit-newer.${randomUUID().slice(0, 8)}`,
      schema: TOPICS.fills.schema,
      keyDoc: 'portfolio',
      key: (fill) => fill.portfolio,
      partitions: 1,
      compacted: false,
    });
    const table = auditTable(topic);
    await clickhouse.command({ query: auditTableDdl(table) });
    await clickhouse.command({ query: `ALTER TABLE ${table.name} ADD COLUMN added_later Nullable(String)` });
    await publisher.prepare([topic]);
    await startSink([topic], clickhouse);
    await publisher.publish(topic, [{ ...(exampleOf(TOPICS.fills) as Fill), eventId: `newer-${randomUUID()}` }]);
    await waitFor('the row in the wider table', async () => (await count(clickhouse, `SELECT count() AS n FROM ${table.name} WHERE added_later IS NULL`)) === 1, 60_000);
  });

  it('keeps every record exactly once when ClickHouse goes down in the middle of a stream', async () => {
    const server = await PrivateClickhouse.start();
    stops.push(() => server.remove());
    const topic = defineTopic({
      name: `test.audit-fills.${randomUUID().slice(0, 8)}`,
      schema: TOPICS.fills.schema,
      keyDoc: 'portfolio',
      key: (fill) => fill.portfolio,
      partitions: 3,
      compacted: false,
    });
    const table = auditTable(topic);
    const privateClient = createClient({ url: server.url });
    stops.push(() => privateClient.close());
    await privateClient.command({ query: 'CREATE DATABASE IF NOT EXISTS crossvenue' });
    await privateClient.command({ query: auditTableDdl(table) });
    await publisher.prepare([topic]);

    const base = exampleOf(TOPICS.fills) as Fill;
    const wave = (from: number) =>
      Array.from({ length: 100 }, (_, i) => ({ ...base, eventId: `fill-${from + i}`, venueTradeId: String(from + i), portfolio: `p${(from + i) % 5}` }));
    const metrics = new WorkerMetrics('audit-outage-test');
    await startSink([topic], privateClient, metrics);

    await publisher.publish(topic, wave(0));
    await waitFor('the first wave', async () => (await count(privateClient, `SELECT count() AS n FROM ${table.name}`)) >= 100, 60_000);

    await server.pause();
    await publisher.publish(topic, wave(100));
    const failedInserts = async () => (await metrics.errors.get()).values.reduce((sum, sample) => sum + sample.value, 0);
    await waitFor('the sink to hit the outage', async () => (await failedInserts()) > 0, 60_000);
    await server.resume();
    await publisher.publish(topic, wave(200));

    const exact = () => count(privateClient, `SELECT uniqExact(event_id) AS n FROM ${table.name}`);
    await waitFor('all 300 records', async () => (await exact()) === 300, 90_000);
    await privateClient.command({ query: `OPTIMIZE TABLE ${table.name} FINAL` });
    expect(await count(privateClient, `SELECT count() AS n FROM ${table.name}`)).toBe(300);
  });
});

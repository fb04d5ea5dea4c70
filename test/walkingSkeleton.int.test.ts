import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { NativeBookConnector } from '@crossvenue/connectors';
import { CaptureServer, SimulatedVenue, defaultMarket } from '@crossvenue/simulator';
import { applyClickHouseSchema } from '@crossvenue/infra';
import { AuditSink, auditTable } from '@crossvenue/processors';
import type { MessageBus } from '@crossvenue/runtime';
import {
  createLogger,
  DEAD_LETTER_HEADERS,
  kafkaMessageBus,
  resolveEndpoints,
  type ConsumedRecord,
} from '@crossvenue/runtime';
import { TOPICS } from '@crossvenue/schemas';
import { waitFor } from '@crossvenue/runtime/testing';
import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const endpoints = resolveEndpoints();
const logger = createLogger('walking-skeleton-test', { level: 'warn' });

function messageBus(clientId: string): MessageBus {
  return kafkaMessageBus(clientId, logger);
}

describe('walking skeleton: simulated venue → native book connector → Kafka (Avro via the registry) → audit sink → ClickHouse', () => {
  const venue = `sim-binance-${randomUUID().slice(0, 8)}`;
  // A still book (no background flow) with a satoshi lot step, so the seeded quantities are exact.
  const btc = defaultMarket('BTC/USDT').rules;
  const simulated = new SimulatedVenue({
    name: venue,
    dialect: 'binance',
    markets: [
      {
        rules: { ...btc, stepSize: new Decimal('0.00000001'), minQty: new Decimal('0.00000001') },
        ladder: { mid: '63999.99', depth: 5, quantity: '0.00012345', quantityStep: '0.5' },
      },
    ],
    fees: { maker: '0.001', taker: '0.001' },
    accounts: [],
  });
  const connectorBus = messageBus('skeleton-connector');
  const sinkBus = messageBus('skeleton-audit');
  let clickhouse: ClickHouseClient;
  let sink: AuditSink;

  beforeAll(async () => {
    await applyClickHouseSchema(endpoints.clickhouseUrl);
    clickhouse = createClient({ url: endpoints.clickhouseUrl });
    await connectorBus.prepare([TOPICS.bookSnapshots]);
    await sinkBus.prepare([TOPICS.bookSnapshots]);
    sink = new AuditSink(sinkBus, clickhouse, [TOPICS.bookSnapshots], `audit-sink-test-${randomUUID()}`);
    await sink.start();
  });

  afterAll(async () => {
    await sink.stop();
    await Promise.all([connectorBus.bus.close(), sinkBus.bus.close(), simulated.stop(), clickhouse.close()]);
  });

  it('lands the venue book in ClickHouse with exact decimals, readable by kcat through the registry', async () => {
    const { wsUrl, restUrl } = await simulated.start();
    const connector = new NativeBookConnector({ kind: 'binance', venue, wsUrl, restUrl, instruments: ['BTC/USDT'], depth: 5, bookIntervalMs: 0, messages: connectorBus, logger });
    connector.start();

    type Row = { sequence: string; bids: string[]; bid_quantities: string[]; asks: string[]; source_partition: number; source_offset: string };
    let rows: Row[] = [];
    await waitFor('the audit row', async () => {
      const result = await clickhouse.query({
        query: `SELECT sequence, arrayMap(x -> toString(x), bids_price) AS bids, arrayMap(x -> toString(x), bids_quantity) AS bid_quantities,
                       arrayMap(x -> toString(x), asks_price) AS asks, source_partition, toString(source_offset) AS source_offset
                FROM ${auditTable(TOPICS.bookSnapshots).name} FINAL WHERE venue = '${venue}'`, // 18.16 has no query parameters; venue is [a-z0-9-]
        format: 'JSONEachRow',
      });
      rows = await result.json<Row>();
      return rows.length > 0;
    });
    await connector.stop();

    // The book is still, so every row (a heartbeat re-publishes it) is the same book.
    const [row] = rows as [Row];
    expect(Number(row.sequence)).toBe(simulated.engine.updateId('BTCUSDT'));
    const exact = (values: string[]) => values.map((value) => new Decimal(value).toFixed());
    expect(exact(row.bids)).toEqual(['63999.98', '63999.97', '63999.96', '63999.95', '63999.94']);
    expect(exact(row.bid_quantities)).toEqual(['0.00012345', '0.50012345', '1.00012345', '1.50012345', '2.00012345']);
    expect(exact(row.asks)[0]).toBe('64000');

    // A client other than kafkajs reads the same record; its schema id resolves in the registry.
    const bytes = execFileSync('kcat', [
      '-b', endpoints.kafkaBrokers[0]!, '-C', '-e', '-q', '-t', TOPICS.bookSnapshots.name,
      '-p', String(row.source_partition), '-o', row.source_offset, '-c', '1', '-f', '%s',
    ]);
    expect(bytes[0]).toBe(0);
    const schemaId = bytes.readInt32BE(1);
    const registered = (await (await fetch(`${endpoints.schemaRegistryUrl}/schemas/ids/${schemaId}`)).json()) as { schema: string };
    expect(JSON.parse(registered.schema)).toMatchObject({ name: 'BookSnapshot', namespace: 'crossvenue' });
    expect(bytes.includes(Buffer.from(venue))).toBe(true);
  });

  it('dead-letters a malformed venue frame with its original bytes and keeps the feed going', async () => {
    // A Binance combined stream whose first depth update lacks its update ids, then a good one.
    const snapshot = { lastUpdateId: 7, bids: [['3000.00', '1.5']], asks: [['3000.10', '2']] };
    const bad = { stream: 'ethusdt@depth@100ms', data: { e: 'depthUpdate', E: 1, s: 'ETHUSDT', b: [], a: [] } };
    const good = { stream: 'ethusdt@depth@100ms', data: { e: 'depthUpdate', E: 2, s: 'ETHUSDT', U: 8, u: 8, b: [['3000.00', '1.25']], a: [] } };
    const capture = new CaptureServer([
      { kind: 'rest', url: 'http://capture/api/v3/depth?symbol=ETHUSDT', payload: snapshot },
      { kind: 'ws', url: 'ws://capture/stream', payload: bad },
      { kind: 'ws', url: 'ws://capture/stream', payload: good },
    ]);
    const { wsUrl, restUrl } = await capture.start();
    const brokenVenue = `broken-${randomUUID().slice(0, 8)}`;
    const connector = new NativeBookConnector({ kind: 'binance', venue: brokenVenue, wsUrl, restUrl, instruments: ['ETH/USDT'], depth: 5, bookIntervalMs: 0, messages: connectorBus, logger });

    const letters: ConsumedRecord[] = [];
    const books: ConsumedRecord[] = [];
    const reader = await connectorBus.bus.consume({
      groupId: `dlq-reader-${randomUUID()}`,
      topics: [TOPICS.bookSnapshots.deadLetter.name, TOPICS.bookSnapshots.name],
      fromBeginning: true,
      handleBatch: async (batch) => void (batch.topic === TOPICS.bookSnapshots.name ? books : letters).push(...batch.records),
    });
    connector.start();
    const mine = () => letters.filter((letter) => letter.headers[DEAD_LETTER_HEADERS.sourceVenue] === brokenVenue);
    await waitFor('a dead letter from the broken venue', () => mine().length >= 1);
    await waitFor('the book after the good update', () => books.some((book) => book.value?.includes(Buffer.from(brokenVenue)) && book.value.includes(Buffer.from('1.25'))));
    await connector.stop();
    await reader.stop();
    await capture.stop();
    expect(mine()).toHaveLength(1);
    expect(mine()[0]?.value).toEqual(Buffer.from(JSON.stringify(bad)));
    expect(mine()[0]?.headers[DEAD_LETTER_HEADERS.reason]).toBe('binance depthUpdate: needs s, U, u, b and a');
  });
});

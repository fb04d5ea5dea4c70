import { randomUUID } from 'node:crypto';
import { createClient } from '@clickhouse/client';
import { applyClickHouseSchema } from '@crossvenue/infra';
import { AuditSink, ReconcilerWorker, auditTable } from '@crossvenue/processors';
import { createLogger, kafkaMessageBus, resolveEndpoints } from '@crossvenue/runtime';
import {
  Decimal,
  TOPICS,
  type Fill,
  type OrderEvent,
  type ReconciliationDiscrepancy,
  type VenueSnapshot,
} from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const endpoints = resolveEndpoints();
const logger = createLogger('reconciler-test', { level: 'error' });
const messageBus = (clientId: string) =>
  kafkaMessageBus(clientId, logger);
const example = <T>(schema: unknown) => EXAMPLES.find((candidate) => candidate.schema === schema)!.value as T;
const TOPICS_USED = [TOPICS.orderEvents, TOPICS.fills, TOPICS.venueSnapshots, TOPICS.discrepancies, TOPICS.alerts];

describe('reconciler on the real Kafka, registry and ClickHouse', () => {
  const run = randomUUID().slice(0, 8);
  const [venue, account, portfolio] = [`recon-venue-${run}`, `acct-${run}`, `desk-${run}`];
  const publisher = messageBus('recon-test-publisher');
  const reconcilerBus = messageBus('recon-test-reconciler');
  const sinkBus = messageBus('recon-test-sink');
  const clickhouse = createClient({ url: endpoints.clickhouseUrl });
  const reconciler = new ReconcilerWorker(reconcilerBus, { graceMs: 1_000, maxSnapshotAgeMs: 60_000, balanceTolerance: new Decimal(0) }, logger);
  const sink = new AuditSink(sinkBus, clickhouse, [TOPICS.discrepancies, TOPICS.fills], `recon-test-audit-${run}`);

  beforeAll(async () => {
    await applyClickHouseSchema(endpoints.clickhouseUrl);
    for (const bus of [publisher, reconcilerBus, sinkBus]) await bus.prepare(TOPICS_USED);
    await reconciler.start();
    await sink.start();
  });
  afterAll(async () => {
    await reconciler.stop();
    await sink.stop();
    for (const bus of [publisher, reconcilerBus, sinkBus]) await bus.bus.close();
    await clickhouse.close();
  });

  it('finds a fill the venue made but never delivered, corrects it, and says so in the audit log', async () => {
    const now = Date.now();
    const order: OrderEvent = {
      ...example<OrderEvent>(TOPICS.orderEvents.schema),
      eventId: `oe-${run}`, venue, account, portfolio, clientOrderId: `coid-${run}`, instrument: 'BTC/USDT', side: 'BUY',
      state: 'NEW', filledQuantity: '0', remainingQuantity: '0.5', receivedAtMs: now - 20_000, source: 'VENUE',
    };
    await publisher.publish(TOPICS.orderEvents, [order]);
    const missed = { venueTradeId: `trade-${run}`, clientOrderId: order.clientOrderId, venueOrderId: '991', instrument: 'BTC/USDT', side: 'BUY' as const, price: '64000.12', quantity: '0.5', fee: '0.0005', feeCurrency: 'BTC', liquidity: 'TAKER' as const, venueTimeMs: now - 10_000 };
    const snapshot: VenueSnapshot = {
      ...example<VenueSnapshot>(TOPICS.venueSnapshots.schema),
      eventId: `snap-${run}`, venue, account, portfolio, openOrders: [], balances: [], positions: [], trades: [missed],
      tradesSinceMs: now - 60_000, venueTimeMs: now - 50, receivedAtMs: now,
    };
    await publisher.publish(TOPICS.venueSnapshots, [snapshot]);

    const seen = { fills: [] as Fill[], discrepancies: [] as ReconciliationDiscrepancy[] };
    const spy = await publisher.subscribe({
      groupId: `recon-spy-${run}`,
      topics: [TOPICS.fills, TOPICS.discrepancies],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, value } of batch) {
          if ((value as { venue: string }).venue !== venue) continue;
          if (topic === TOPICS.fills.name) seen.fills.push(value as Fill);
          else seen.discrepancies.push(value as ReconciliationDiscrepancy);
        }
      },
    });
    await waitFor('the correction and the discrepancy', () => seen.fills.length > 0 && seen.discrepancies.length >= 2, 30_000);
    await spy.stop();

    expect(seen.fills).toEqual([expect.objectContaining({ venueTradeId: missed.venueTradeId, quantity: '0.5', price: '64000.12', source: 'RECONCILIATION' })]);
    expect(seen.discrepancies.map((d) => d.kind).sort()).toEqual(['ORDER_MISSING_AT_VENUE', 'QUANTITY_MISMATCH']);
    // The sync state is recorded once the corrections are out, so it may trail them by a moment.
    await waitFor('the sync state', () => reconciler.sync.has(`${venue}|${account}`));
    expect(reconciler.sync.get(`${venue}|${account}`)).toMatchObject({ portfolio, discrepancies: 2 });

    const table = auditTable(TOPICS.discrepancies).name;
    await waitFor('the discrepancy rows in ClickHouse', async () => {
      const rows = await (await clickhouse.query({ query: `SELECT count() AS n FROM ${table} FINAL WHERE venue = '${venue}'`, format: 'JSONEachRow' })).json<{ n: string }>();
      return Number(rows[0]!.n) === 2;
    }, 30_000);
    const [fillRow] = await (
      await clickhouse.query({ query: `SELECT source, toString(price) AS price FROM ${auditTable(TOPICS.fills).name} FINAL WHERE venue = '${venue}'`, format: 'JSONEachRow' })
    ).json<{ source: string; price: string }>();
    expect(fillRow?.source).toBe('RECONCILIATION');
    expect(new Decimal(fillRow!.price).equals('64000.12')).toBe(true);
  });
});

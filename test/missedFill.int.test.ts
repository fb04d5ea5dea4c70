import { randomUUID } from 'node:crypto';
import { createClient } from '@clickhouse/client';
import { DEFAULT_MARKETS, SimulatedVenue } from '@crossvenue/simulator';
import { applyClickHouseSchema } from '@crossvenue/infra';
import { AuditSink, ReconcilerWorker, auditTable } from '@crossvenue/processors';
import { Decimal, TOPICS, type OrderEvent } from '@crossvenue/schemas';
import { createLogger, kafkaMessageBus, resolveEndpoints, WorkerMetrics } from '@crossvenue/runtime';
import { limitPlaceCommand } from '@crossvenue/schemas/testing';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ccxtConnectorWorker } from '@crossvenue/cli';
import type { RunningWorker } from '@crossvenue/cli';

const endpoints = resolveEndpoints();
const logger = createLogger('missed-fill-test', { level: 'error' });
const TRADER = { name: 'trader', apiKey: 'missedFillTraderKey01', secret: 'missedFillTraderSecret01', balances: { USDT: '100000', ETH: '10' } };

describe('a fill the venue made but never delivered, on the simulated venue, end to end', () => {
  const id = randomUUID().slice(0, 8);
  const [venue, account, portfolio] = [`sim-missed-${id}`, `acct-${id}`, `pf-${id}`];
  const simulated = new SimulatedVenue({ name: venue, dialect: 'binance', markets: DEFAULT_MARKETS, fees: { maker: '0.001', taker: '0.002' }, accounts: [TRADER] });
  const connectorBus = kafkaMessageBus(`missed-connector-${id}`, logger);
  const reconcilerBus = kafkaMessageBus(`missed-reconciler-${id}`, logger);
  const sinkBus = kafkaMessageBus(`missed-sink-${id}`, logger);
  const testBus = kafkaMessageBus(`missed-test-${id}`, logger);
  const clickhouse = createClient({ url: endpoints.clickhouseUrl });
  const reconciler = new ReconcilerWorker(reconcilerBus, { graceMs: 500, maxSnapshotAgeMs: 30_000, balanceTolerance: new Decimal('1000000') }, logger);
  const sink = new AuditSink(sinkBus, clickhouse, [TOPICS.discrepancies, TOPICS.fills], `missed-audit-${id}`);
  const events: OrderEvent[] = [];
  let connector: RunningWorker;

  beforeAll(async () => {
    await applyClickHouseSchema(endpoints.clickhouseUrl);
    const endpointsOfVenue = await simulated.start();
    for (const bus of [connectorBus, reconcilerBus, sinkBus, testBus]) await bus.prepare([...ccxtConnectorWorker.topics, TOPICS.discrepancies, TOPICS.alerts]);
    await testBus.subscribe({ groupId: `missed-events-${id}`, topics: [TOPICS.orderEvents], fromBeginning: true, handle: async (batch) => void events.push(...batch.map((m) => m.value).filter((e) => e.account === account)) });
    await reconciler.start();
    await sink.start();
    connector = await ccxtConnectorWorker.start({
      messages: connectorBus,
      logger,
      endpoints,
      metrics: new WorkerMetrics('ccxt-connector'),
      env: {
        VENUE_ID: 'binance', VENUE_NAME: venue, ACCOUNT: account, PORTFOLIO: portfolio,
        VENUE_API_KEY: TRADER.apiKey, VENUE_API_SECRET: TRADER.secret,
        VENUE_REST_URL: endpointsOfVenue.restUrl, VENUE_WS_URL: endpointsOfVenue.wsUrl,
        INSTRUMENTS: 'ETH/USDT', SNAPSHOT_INTERVAL_MS: '1000',
      },
    });
  });

  afterAll(async () => {
    await connector?.stop();
    await reconciler.stop();
    await sink.stop();
    await simulated.stop();
    for (const bus of [connectorBus, reconcilerBus, sinkBus, testBus]) await bus.bus.close();
    await clickhouse.close();
  });

  it('is found by the reconciler from the venue snapshot, corrected with a synthetic fill, and audited', async () => {
    // The venue executes the order, but its user stream never reports the fills, on a connection
    // that stays up: the connector has no reason to catch up, so only reconciliation can find them.
    simulated.faults.set({ loseFills: 100 });
    const command = limitPlaceCommand({ portfolio, venue, account, instrument: 'ETH/USDT', quantity: '0.1', limitPrice: null, orderType: 'MARKET' });
    await waitFor('the connector took the command', async () => {
      await testBus.publish(TOPICS.orderCommands, [command]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      return events.some((e) => e.clientOrderId === command.clientOrderId);
    }, 45_000);
    const trades = simulated.engine.ownExecutions(TRADER.name, 'ETHUSDT');
    expect(trades.length).toBeGreaterThan(0);

    const count = async (query: string) => Number((await (await clickhouse.query({ query, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n);
    const fillsTable = auditTable(TOPICS.fills).name;
    const discrepanciesTable = auditTable(TOPICS.discrepancies).name;
    await waitFor('the synthetic fills and their discrepancies in the audit log', async () =>
      (await count(`SELECT count() AS n FROM ${fillsTable} FINAL WHERE venue = '${venue}' AND source = 'RECONCILIATION'`)) === trades.length &&
      (await count(`SELECT count() AS n FROM ${discrepanciesTable} FINAL WHERE venue = '${venue}' AND kind = 'QUANTITY_MISMATCH'`)) === trades.length,
    30_000);

    // Exactly the venue's trades, once each, with the venue's own trade ids.
    const rows = await (
      await clickhouse.query({ query: `SELECT venue_trade_id, toString(quantity) AS quantity FROM ${fillsTable} FINAL WHERE venue = '${venue}'`, format: 'JSONEachRow' })
    ).json<{ venue_trade_id: string; quantity: string }>();
    expect(rows.map((row) => row.venue_trade_id).sort()).toEqual(trades.map((execution) => String(execution.trade.tradeId)).sort());
    const filled = rows.reduce((sum, row) => sum.plus(row.quantity), new Decimal(0));
    expect(filled.equals('0.1')).toBe(true);
  });
});

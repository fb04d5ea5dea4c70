import { randomUUID } from 'node:crypto';
import { createClient } from '@clickhouse/client';
import { applyClickHouseSchema, haveCurrentEngine, listReports, renderReport, runOnCurrentEngine, runReport, schemaFiles } from '@crossvenue/infra';
import { AuditSink } from '@crossvenue/processors';
import { createLogger, kafkaMessageBus, resolveEndpoints } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { Decimal, TOPICS, type ArbitrageGroup, type BalanceSnapshot } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The arbitrage reports over records that went the whole way: published on Kafka under a
 * namespace of this run (Avro through the schema registry), written to ClickHouse by the audit
 * sink, then queried. Names carry the run's id, so other runs' rows in the shared tables never
 * count here.
 */
const endpoints = resolveEndpoints();
const HAVE_CHDB = haveCurrentEngine();
if (!HAVE_CHDB) console.warn('arbReports.int.test.ts: the check on a current ClickHouse is skipped, no chDB (npx crossvenue stack up installs it)');
const logger = createLogger('arb-reports-test', { level: 'error' });
const run = randomUUID().slice(0, 8);
const strategy = `arb-${run}`;
const portfolio = `arb-${run}`;
const [venueA, venueB] = [`arb-a-${run}`, `arb-b-${run}`];
/** Noon UTC, so a group's day is its close's date whatever the machine's time zone. */
const DAY_1 = Date.UTC(2026, 10, 20, 12);
const DAY_2 = DAY_1 + 86_400_000;

const groupExample = EXAMPLES.find((e) => e.schema === TOPICS.arbitrageGroups.schema)!.value as ArbitrageGroup;
const balanceExample = EXAMPLES.find((e) => e.schema === TOPICS.balances.schema)!.value as BalanceSnapshot;

type Close = Pick<ArbitrageGroup, 'state' | 'expectedEdge' | 'realizedEdge' | 'unwindCost'> & Partial<Pick<ArbitrageGroup, 'kind' | 'fundingCollected'>> & { buy: string; sell: string; openedAtMs: number; closedAtMs: number };

/** A group's OPEN record and its closing record. */
function group(id: string, close: Close): ArbitrageGroup[] {
  const groupId = `${strategy}-${id}`;
  const opened: ArbitrageGroup = {
    ...groupExample, eventId: `${groupId}:OPEN`, groupId, strategy, portfolio, state: 'OPEN', kind: close.kind ?? 'SPOT_SPREAD', buyVenue: close.buy, sellVenue: close.sell,
    expectedEdge: close.expectedEdge, realizedEdge: null, unwindCost: null, residualSide: null, openedAtMs: close.openedAtMs, closedAtMs: null,
  };
  const { state, realizedEdge, unwindCost, closedAtMs, fundingCollected = null } = close;
  return [opened, { ...opened, eventId: `${groupId}:${state}`, state, realizedEdge, unwindCost, fundingCollected, closedAtMs }];
}

function balances(venue: string, account: string, atMs: number, complete: boolean, totals: Record<string, string>): BalanceSnapshot {
  return {
    ...balanceExample, eventId: `balance:${venue}:${account}:${atMs}`, venue, account, portfolio, complete, venueTimeMs: atMs, receivedAtMs: atMs,
    balances: Object.entries(totals).map(([asset, total]) => ({ asset, free: total, locked: '0', total })),
  };
}

describe('arbitrage reports on records audited from Kafka', () => {
  const messages = kafkaMessageBus('arb-reports-test', logger, { endpoints, namespace: `arb-reports-${run}.` });
  const clickhouse = createClient({ url: endpoints.clickhouseUrl });
  const topics = [TOPICS.arbitrageGroups, TOPICS.balances];
  let sink: AuditSink;

  beforeAll(async () => {
    await applyClickHouseSchema(endpoints.clickhouseUrl);
    await messages.prepare(topics);
    const groups = [
      ...group('1', { state: 'CAPTURED', buy: venueA, sell: venueB, expectedEdge: '1.5', realizedEdge: '1.2', unwindCost: null, openedAtMs: DAY_1, closedAtMs: DAY_1 + 200 }),
      ...group('2', { state: 'UNWOUND', buy: venueA, sell: venueB, expectedEdge: '2', realizedEdge: '-0.3', unwindCost: '0.45', openedAtMs: DAY_1 + 1_000, closedAtMs: DAY_1 + 1_600 }),
      ...group('3', { state: 'MISSED', buy: venueA, sell: venueB, expectedEdge: '1', realizedEdge: '0', unwindCost: null, openedAtMs: DAY_1 + 2_000, closedAtMs: DAY_1 + 2_100 }),
      ...group('4', { state: 'EXPOSED', buy: venueB, sell: venueA, expectedEdge: '0.8', realizedEdge: '-1.1', unwindCost: '0.9', openedAtMs: DAY_1 + 3_000, closedAtMs: DAY_1 + 4_000 }),
      ...group('5', { state: 'CAPTURED', buy: venueA, sell: venueB, expectedEdge: '0.123456789', realizedEdge: '0.1', unwindCost: null, openedAtMs: DAY_2, closedAtMs: DAY_2 + 50 }),
      // A funding position: opened on venue A's spot against venue B's perpetual, closed the other way with the funding it collected.
      ...group('7', { kind: 'BASIS', state: 'CAPTURED', buy: venueA, sell: venueB, expectedEdge: '-0.2', realizedEdge: '-0.25', unwindCost: null, openedAtMs: DAY_2 + 100, closedAtMs: DAY_2 + 200 }),
      ...group('8', { kind: 'BASIS', state: 'CAPTURED', buy: venueB, sell: venueA, expectedEdge: '-0.4', realizedEdge: '-0.5', unwindCost: null, fundingCollected: '3.25', openedAtMs: DAY_2 + 5_000, closedAtMs: DAY_2 + 5_300 }),
      // Still open: not a result yet.
      group('6', { state: 'CAPTURED', buy: venueA, sell: venueB, expectedEdge: '9', realizedEdge: '9', unwindCost: null, openedAtMs: DAY_1, closedAtMs: DAY_1 })[0]!,
    ];
    // The first group's close delivered twice (a producer retry): it counts once.
    await messages.publish(TOPICS.arbitrageGroups, [...groups, groups[1]!]);
    await messages.publish(TOPICS.balances, [
      balances(venueA, 'main', DAY_1, true, { BTC: '1.9', USDT: '10000' }),
      balances(venueA, 'main', DAY_1 + 10, false, { BTC: '1.8' }),
      balances(venueA, 'alt', DAY_1, true, { USDT: '500' }),
      // An update before venue B's latest complete snapshot is superseded by it.
      balances(venueB, 'main', DAY_1, true, { BTC: '0.3', USDT: '9000' }),
      balances(venueB, 'main', DAY_1 + 5, false, { BTC: '5' }),
      balances(venueB, 'main', DAY_1 + 20, true, { BTC: '0.2', USDT: '9500' }),
    ]);
    sink = new AuditSink(messages, clickhouse, topics, `arb-reports-sink-${run}`);
    await sink.start();
    const landed = async (table: string, where: string) =>
      Number((await (await clickhouse.query({ query: `SELECT count() AS n FROM crossvenue.${table} FINAL WHERE ${where}`, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n);
    await waitFor('the groups and balances in ClickHouse', async () => (await landed('arb_groups', `strategy = '${strategy}'`)) === 15 && (await landed('state_balances', `portfolio = '${portfolio}'`)) === 6, 60_000);
  });
  afterAll(async () => {
    await sink?.stop();
    await messages.bus.close();
    await clickhouse.close();
  });

  const exact = (value: unknown) => new Decimal(String(value)).toFixed();
  /** arb-pnl's rows as the test compares them, in the report's order. */
  const pnl = (rows: ReadonlyArray<Record<string, unknown>>) => rows.map((row) => ({
    kind: row.kind, pair: `${row.buy_venue}>${row.sell_venue}`, day: row.day, groups: Number(row.groups),
    captured: Number(row.captured), unwound: Number(row.unwound), missed: Number(row.missed), exposed: Number(row.exposed),
    expected: exact(row.sum_expected_edge), realized: exact(row.sum_realized_edge), unwind: exact(row.sum_unwind_cost),
    difference: exact(row.realized_minus_expected), funding: exact(row.sum_funding), net: exact(row.net), closeMs: Number(row.avg_time_to_close_ms),
  }));
  const PNL = [
    { kind: 'SPOT_SPREAD', pair: `${venueA}>${venueB}`, day: '2026-11-20', groups: 3, captured: 1, unwound: 1, missed: 1, exposed: 0, expected: '4.5', realized: '0.9', unwind: '0.45', difference: '-3.6', funding: '0', net: '0.9', closeMs: 300 },
    { kind: 'SPOT_SPREAD', pair: `${venueB}>${venueA}`, day: '2026-11-20', groups: 1, captured: 0, unwound: 0, missed: 0, exposed: 1, expected: '0.8', realized: '-1.1', unwind: '0.9', difference: '-1.9', funding: '0', net: '-1.1', closeMs: 1_000 },
    { kind: 'BASIS', pair: `${venueA}>${venueB}`, day: '2026-11-21', groups: 1, captured: 1, unwound: 0, missed: 0, exposed: 0, expected: '-0.2', realized: '-0.25', unwind: '0', difference: '-0.05', funding: '0', net: '-0.25', closeMs: 100 },
    { kind: 'BASIS', pair: `${venueB}>${venueA}`, day: '2026-11-21', groups: 1, captured: 1, unwound: 0, missed: 0, exposed: 0, expected: '-0.4', realized: '-0.5', unwind: '0', difference: '-0.1', funding: '3.25', net: '2.75', closeMs: 300 },
    { kind: 'SPOT_SPREAD', pair: `${venueA}>${venueB}`, day: '2026-11-21', groups: 1, captured: 1, unwound: 0, missed: 0, exposed: 0, expected: '0.123456789', realized: '0.1', unwind: '0', difference: '-0.023456789', funding: '0', net: '0.1', closeMs: 50 },
  ];
  /** arb-balances' rows of this run's portfolio. */
  const holdings = (rows: ReadonlyArray<Record<string, unknown>>) => rows.filter((row) => row.portfolio === portfolio).map((row) => ({
    asset: row.asset, venue: row.venue, holding: exact(row.holding), total: exact(row.total_holding), share: Number(row.share), needsTransfer: Number(row.needs_transfer), action: row.action,
  }));
  const HOLDINGS = [
    { asset: 'BTC', venue: venueA, holding: '1.8', total: '2', share: 0.9, needsTransfer: 0, action: '' },
    { asset: 'BTC', venue: venueB, holding: '0.2', total: '2', share: 0.1, needsTransfer: 1, action: `transfer BTC to ${venueB} by hand` },
    { asset: 'USDT', venue: venueA, holding: '10500', total: '20000', share: 0.525, needsTransfer: 0, action: '' },
    { asset: 'USDT', venue: venueB, holding: '9500', total: '20000', share: 0.475, needsTransfer: 0, action: '' },
  ];

  it('arb-pnl sums each venue pair\'s closed groups per day, exactly', async () => {
    const { rows } = await runReport(endpoints.clickhouseUrl, 'arb-pnl', { strategy });
    expect(pnl(rows)).toEqual(PNL);
    expect(rows.every((row) => row.strategy === strategy)).toBe(true);
    const later = await runReport(endpoints.clickhouseUrl, 'arb-pnl', { strategy, since_ms: String(DAY_2) });
    expect(later.rows.map((row) => row.day)).toEqual(['2026-11-21', '2026-11-21', '2026-11-21']);
  });

  it('arb-balances shows where each asset of the portfolio sits and flags a venue under 20 % of it', async () => {
    const { rows } = await runReport(endpoints.clickhouseUrl, 'arb-balances', {});
    expect(holdings(rows)).toEqual(HOLDINGS);
  });

  it.skipIf(!HAVE_CHDB)('gives the same figures on a current ClickHouse (chDB) over the same rows', async () => {
    const dump = async (table: string, where: string) => ({
      table: `crossvenue.${table}`,
      tsv: await (await clickhouse.query({ query: `SELECT * FROM crossvenue.${table} WHERE ${where}`, format: 'TabSeparated' })).text(),
    });
    const report = async (name: string) => (await listReports()).find((candidate) => candidate.name === name)!;
    const current = await runOnCurrentEngine({
      statements: (await schemaFiles()).flatMap(({ statements }) => statements),
      inserts: [await dump('arb_groups', `strategy = '${strategy}'`), await dump('state_balances', `portfolio = '${portfolio}'`)],
      queries: { pnl: renderReport(await report('arb-pnl'), { strategy }), balances: renderReport(await report('arb-balances'), {}) },
    });
    const rows = (name: string) => {
      const answer = current[name]!;
      if ('error' in answer) throw new Error(`${name} on chDB: ${answer.error}`);
      return answer.rows;
    };
    expect(pnl(rows('pnl'))).toEqual(PNL);
    expect(holdings(rows('balances'))).toEqual(HOLDINGS);
  });
});

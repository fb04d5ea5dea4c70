import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { createClient } from '@clickhouse/client';
import { applyClickHouseSchema, runReport } from '@crossvenue/infra';
import { auditRow, auditTable, tsvRow } from '@crossvenue/processors';
import { Decimal, TOPICS, type TopicDefinition } from '@crossvenue/schemas';
import { resolveEndpoints } from '@crossvenue/runtime';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const { clickhouseUrl } = resolveEndpoints();
const clickhouse = createClient({ url: clickhouseUrl });

/** Writes messages straight into their audit tables, as the audit sink would. */
async function audit(topic: TopicDefinition, values: Array<Record<string, unknown>>): Promise<void> {
  const table = auditTable(topic);
  const text = values
    .map((value, i) => tsvRow(auditRow(table, { topic: topic.name, partition: 0, offset: String(i), key: null, value, headers: {}, timestampMs: T0 }, T0)))
    .join('');
  await clickhouse.insert({ table: table.name, format: 'TabSeparated', values: Readable.from([text], { objectMode: false }) });
}

const example = (topic: TopicDefinition) => EXAMPLES.find((candidate) => candidate.schema === topic.schema)!.value as Record<string, unknown>;
const T0 = 1_790_000_000_000;
const run = randomUUID().slice(0, 8);
const intentId = `tca-${run}`;
const [venueA, venueB] = [`tca-a-${run}`, `tca-b-${run}`];

describe('audit and TCA reports on real ClickHouse rows', () => {
  beforeAll(async () => {
    await applyClickHouseSchema(clickhouseUrl);
    const order = { ...(example(TOPICS.intents).order as object), side: 'BUY', amount: '1', amountType: 'BASE', limitPrice: '101' };
    await audit(TOPICS.intents, [{ ...example(TOPICS.intents), eventId: `${intentId}-i`, intentId, instrument: 'BTC/USDT', action: 'PLACE', kind: 'ORDER', order, createdAtMs: T0 }]);
    const leg = (index: number, venue: string, quantity: string, price: string, fee: string) => ({
      ...(example(TOPICS.routeDecisions).legs as Array<Record<string, unknown>>)[0],
      leg: index, venue, quantity, expectedAveragePrice: price, expectedFee: fee,
    });
    await audit(TOPICS.routeDecisions, [{
      ...example(TOPICS.routeDecisions), eventId: `${intentId}-r`, intentId, instrument: 'BTC/USDT', side: 'BUY', quantity: '1',
      legs: [leg(0, venueA, '0.6', '100.1', '0.06'), leg(1, venueB, '0.4', '100.2', '0.04')],
      totalExpectedCost: '100.5', costCurrency: 'USDT', arrivalMid: '100', decidedAtMs: T0 + 1,
    }]);
    const command = (venue: string, quantity: string, at: number) => ({
      ...example(TOPICS.orderCommands), eventId: `${intentId}-c-${venue}`, commandId: `${venue}-cmd`, type: 'PLACE', intentId,
      clientOrderId: `${venue}-coid`, venue, quantity, createdAtMs: at,
    });
    await audit(TOPICS.orderCommands, [command(venueA, '0.6', T0 + 2), command(venueB, '0.4', T0 + 3)]);
    const event = (venue: string, state: string, eventType: string, at: number) => ({
      ...example(TOPICS.orderEvents), eventId: `${intentId}-e-${venue}-${state}`, clientOrderId: `${venue}-coid`, intentId, venue,
      previousState: 'PENDING_NEW', state, event: eventType, receivedAtMs: at,
    });
    await audit(TOPICS.orderEvents, [event(venueA, 'NEW', 'ACCEPTED', T0 + 12), event(venueB, 'NEW', 'ACCEPTED', T0 + 43), event(venueA, 'FILLED', 'FILLED', T0 + 50), event(venueB, 'FILLED', 'FILLED', T0 + 60)]);
    const fill = (venue: string, price: string, quantity: string, fee: string, at: number) => ({
      ...example(TOPICS.fills), eventId: `${intentId}-f-${venue}`, venueTradeId: `${venue}-t`, intentId, venue, instrument: 'BTC/USDT',
      side: 'BUY', price, quantity, fee, feeCurrency: 'USDT', venueTimeMs: at, receivedAtMs: at + 1,
    });
    await audit(TOPICS.fills, [fill(venueA, '100.1', '0.6', '0.06', T0 + 50), fill(venueB, '100.3', '0.4', '0.04', T0 + 60)]);
    const book = (venue: string, at: number, bid: string, ask: string) => ({
      ...example(TOPICS.bookSnapshots), eventId: `${intentId}-b-${venue}-${at}`, venue, instrument: 'BTC/USDT', receivedAtMs: at,
      bids: [{ price: bid, quantity: '1' }], asks: [{ price: ask, quantity: '1' }],
    });
    // 5 s after each fill the mid is 100.5 on venue A and 100.2 on venue B; a later book does not count.
    await audit(TOPICS.bookSnapshots, [book(venueA, T0 + 5_050, '100.4', '100.6'), book(venueA, T0 + 9_000, '90', '91'), book(venueB, T0 + 5_060, '100.1', '100.3')]);
  });
  afterAll(() => clickhouse.close());

  it('intent-tca compares the router\'s expectation with the fills, exactly', async () => {
    const { rows } = await runReport(clickhouseUrl, 'intent-tca', { intent_id: intentId });
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, string | number>;
    const exact = (key: string) => new Decimal(String(row[key])).toFixed();
    expect(exact('expected_quantity')).toBe('1');
    expect(exact('expected_average_price')).toBe('100.14'); // (0.6 × 100.1 + 0.4 × 100.2) / 1
    expect(exact('expected_cost')).toBe('100.24'); // 100.14 paid + 0.10 fees
    expect(exact('model_cost')).toBe('100.5'); // the router's own cost, penalties included
    expect(exact('average_price')).toBe('100.18'); // (0.6 × 100.1 + 0.4 × 100.3) / 1
    expect(exact('realized_cost')).toBe('100.28');
    expect(exact('cost_vs_expected')).toBe('0.04');
    expect(row.slippage_bps).toBe(18); // 100.18 against the arrival mid 100
    expect(row.fill_ratio).toBe(1);
    expect(Number(row.time_to_fill_ms)).toBe(60);
  });

  it('intent-trail lists every decision and message of the intent in time order', async () => {
    const { rows } = await runReport(clickhouseUrl, 'intent-trail', { intent_id: intentId });
    expect(rows.map((row) => row.topic)).toEqual([
      'exec.intents', 'exec.route-decisions', 'exec.order-commands', 'exec.order-commands',
      'exec.order-events', 'exec.order-events', 'exec.order-events', 'exec.fills', 'exec.order-events', 'exec.fills',
    ]);
    expect(String(rows[1]!.what)).toBe('route: 2 legs, expected cost 100.5 USDT');
    expect(String(rows.at(-1)!.what)).toContain(`fill ${venueB} BUY 0.4 @ 100.3`);
  });

  it('venue-quality reports fill ratio, acknowledgement latency and the 5-second markout per venue', async () => {
    const { rows } = await runReport(clickhouseUrl, 'venue-quality', { since_ms: String(T0) });
    const ofVenue = (venue: string) => rows.find((row) => row.venue === venue) as Record<string, string | number>;
    expect(ofVenue(venueA)).toMatchObject({ fill_ratio: 1, reject_rate: 0, fills: '1' });
    expect(Number(ofVenue(venueA).ack_p50_ms)).toBe(10);
    expect(Number(ofVenue(venueB).ack_p50_ms)).toBe(40);
    expect(ofVenue(venueA).markout_5s_bps).toBeCloseTo(((100.5 - 100.1) / 100.1) * 10_000, 2);
    expect(ofVenue(venueB).markout_5s_bps).toBeCloseTo(((100.2 - 100.3) / 100.3) * 10_000, 2);
  });
});

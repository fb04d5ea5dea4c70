import { randomUUID } from 'node:crypto';
import { Decimal, TOPICS, type BookSnapshot, type OrderEvent, type RouteDecision } from '@crossvenue/schemas';
import { createLogger } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PORTFOLIO, startEmbeddedRun, type EmbeddedRun } from './EmbeddedRun.ts';
import { gatewayClient } from './gatewayClient.ts';
import { localApiKey } from './localApiKey.ts';

const AMOUNT = '1.5';
const WAIT_MS = 10_000;

interface AccountStatus {
  positions: { byUnderlying: Array<{ underlying: string; netQuantity: string }> };
  balances: { byAccount: Array<{ venue: string; account: string; asset: string; total: string }> };
}

describe('the embedded run, in process: one API order through router, risk, ccxt connectors, simulated venues and positions', () => {
  const { key, keys } = localApiKey('trader');
  const decisions: RouteDecision[] = [];
  const books = new Map<string, BookSnapshot>();
  let run: EmbeddedRun;

  const api = gatewayClient(() => run.gatewayUrl, key);
  const btcPosition = async () => {
    const { body } = await api<AccountStatus>(`/execution/account_status?portfolio=${DEMO_PORTFOLIO}`);
    return new Decimal(body.positions.byUnderlying.find((row) => row.underlying === 'BTC')?.netQuantity ?? 0);
  };

  beforeAll(async () => {
    // Still books (no background flow) at one mid, kept fresh by the connectors' book heartbeat:
    // the split rests on depth; with the demo's per-venue offsets it would hang on which book is
    // fresher (the router charges staleness).
    run = await startEmbeddedRun({ gatewayPort: 0, keys, logger: createLogger('embedded-test', { level: 'silent' }), demo: { seed: 5, flow: false, movingPrices: false } });
    await run.messages.subscribe({
      groupId: `observer-${randomUUID()}`,
      topics: [TOPICS.routeDecisions, TOPICS.bookSnapshots],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, value } of batch) {
          if (topic === TOPICS.routeDecisions.name) decisions.push(value as RouteDecision);
          else if ((value as BookSnapshot).instrument === 'BTC/USDT') books.set((value as BookSnapshot).venue, value as BookSnapshot);
        }
      },
    });
    await waitFor('BTC/USDT books of every venue', () => books.size === run.venues.endpoints.length, WAIT_MS);
  }, 20_000);

  afterAll(async () => {
    await run?.stop();
  });

  it('splits a market buy larger than any top level across venues, fills every leg, and moves the BTC position by exactly the amount', async () => {
    for (const book of books.values()) expect(new Decimal(book.asks[0]!.quantity).lt(AMOUNT)).toBe(true);
    const before = await btcPosition();

    const placed = await api<{ intentId: string }>('/execution/unified_order', { portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'BUY', amount: AMOUNT });
    expect(placed.status).toBe(202);
    const { intentId } = placed.body;

    await waitFor('the route decision', () => decisions.some((d) => d.intentId === intentId), WAIT_MS);
    const legs = decisions.find((d) => d.intentId === intentId)!.legs;
    expect(new Set(legs.map((leg) => leg.venue)).size).toBeGreaterThanOrEqual(2);
    expect(legs.reduce((sum, leg) => sum.plus(leg.quantity), new Decimal(0)).eq(AMOUNT)).toBe(true);

    const orders = async () => (await api<{ actual: { orders: OrderEvent[] } }>(`/intents/${intentId}`)).body.actual.orders;
    await waitFor('every leg FILLED', async () => {
      const now = await orders();
      return now.length === legs.length && now.every((order) => order.state === 'FILLED');
    }, WAIT_MS);
    const filled = await orders();
    expect(filled.reduce((sum, order) => sum.plus(order.filledQuantity), new Decimal(0)).toFixed()).toBe(AMOUNT);
    for (const order of filled) {
      const venue = run.venues.venues[run.venues.endpoints.findIndex((v) => v.name === order.venue)]!;
      const atVenue = venue.engine.closedOrders('demo').filter((o) => o.clientOrderId === order.clientOrderId);
      expect(atVenue.map((o) => [o.status, o.executedQuantity.toFixed()])).toEqual([['FILLED', order.filledQuantity]]);
    }

    await waitFor('the BTC position up by the amount', async () => (await btcPosition()).minus(before).eq(AMOUNT), WAIT_MS);
  }, 30_000);

  it("buys for an amount of USDT: the router converts it to BTC at its legs' price, the legs spend no more than it, and the intent is DONE", async () => {
    const SPEND = '5000';
    const placed = await api<{ intentId: string }>('/execution/unified_order', { portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'BUY', amount: SPEND, amountType: 'QUOTE' });
    expect(placed.status).toBe(202);
    const { intentId } = placed.body;
    await waitFor('the route decision', () => decisions.some((d) => d.intentId === intentId), WAIT_MS);
    const { conversion, legs } = decisions.find((d) => d.intentId === intentId)!;
    expect(conversion?.quoteAmount).toBe(SPEND);
    // Deep enough books: every unit of the amount is in a leg, in whole lots.
    const routed = legs.reduce((sum, leg) => sum.plus(leg.quantity), new Decimal(0));
    expect(routed.toFixed()).toBe(new Decimal(conversion!.baseAmount).toFixed());
    expect(legs.reduce((sum, leg) => sum.plus(new Decimal(leg.quantity).times(leg.expectedAveragePrice)), new Decimal(0)).lte(SPEND)).toBe(true);

    type Status = { state: string; requestedQuantity: string; filledQuantity: string; averagePrice: string | null };
    const status = async () => (await api<{ status: Status | null }>(`/intents/${intentId}`)).body.status;
    await waitFor('the intent DONE', async () => (await status())?.state === 'DONE', WAIT_MS);
    const done = (await status())!;
    expect([done.requestedQuantity, done.filledQuantity]).toEqual([conversion!.baseAmount, conversion!.baseAmount]);
    expect(new Decimal(done.filledQuantity).times(done.averagePrice!).lte(SPEND)).toBe(true);
  }, 30_000);

  it("shows each venue account's balances (the connectors' balance snapshots) in the account status", async () => {
    const byAccount = async () => (await api<AccountStatus>(`/execution/account_status?portfolio=${DEMO_PORTFOLIO}`)).body.balances.byAccount;
    await waitFor('balances of every venue', async () => new Set((await byAccount()).map((row) => row.venue)).size === run.venues.endpoints.length, WAIT_MS);
    const held = (await byAccount()).filter((row) => (row.asset === 'USDT' || row.asset === 'BTC') && new Decimal(row.total).gt(0));
    const expected = run.venues.endpoints.flatMap((venue) => ['BTC', 'USDT'].map((asset) => `${venue.name}|${venue.accounts[0]!.name}|${asset}`));
    expect(held.map((row) => `${row.venue}|${row.account}|${row.asset}`).sort()).toEqual(expected.sort());
  });
});

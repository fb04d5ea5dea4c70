import { createHmac } from 'node:crypto';
import { Decimal } from '@crossvenue/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedVenue, VenueEndpoints } from './SimulatedVenue.ts';
import { TRADER, startTestVenue } from './testing/venueFixtures.ts';

/**
 * The complete order history a venue keeps, as a reconciler or an auditor reads it: Binance's
 * allOrders (oldest first, from an order id on) and Bybit's order and execution lists, newest
 * first, page by page with a cursor.
 */
const ORDERS = 7;

/** Places `ORDERS` resting buys and cancels every other one, so the history holds open and finished orders. */
function placeHistory(venue: SimulatedVenue): number[] {
  const ids: number[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const order = venue.engine.place({ account: TRADER.name, symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: new Decimal('0.001'), price: new Decimal(50_000 + i) });
    ids.push(order.orderId);
    if (i % 2 === 1) venue.engine.cancel(TRADER.name, 'BTCUSDT', { orderId: order.orderId });
  }
  return ids;
}

describe('simulated Binance allOrders', () => {
  let venue: SimulatedVenue;
  let endpoints: VenueEndpoints;
  let ids: number[];

  beforeAll(async () => {
    ({ venue, endpoints } = await startTestVenue({ name: 'sim-binance-history' }));
    ids = placeHistory(venue);
  });
  afterAll(() => venue.stop());

  async function allOrders(params: string): Promise<Array<{ orderId: number; status: string }>> {
    const query = `symbol=BTCUSDT${params}&timestamp=${Date.now()}`;
    const signature = createHmac('sha256', TRADER.secret).update(query).digest('hex');
    const response = await fetch(`${endpoints.restUrl}/api/v3/allOrders?${query}&signature=${signature}`, { headers: { 'X-MBX-APIKEY': TRADER.apiKey } });
    expect(response.status).toBe(200);
    return (await response.json()) as Array<{ orderId: number; status: string }>;
  }

  it('lists open and finished orders, oldest first', async () => {
    const orders = await allOrders('');
    expect(orders.map((o) => o.orderId)).toEqual(ids);
    expect(orders.map((o) => o.status)).toEqual(['NEW', 'CANCELED', 'NEW', 'CANCELED', 'NEW', 'CANCELED', 'NEW']);
  });

  it('pages from an order id on, and keeps the most recent ones without it', async () => {
    expect((await allOrders(`&orderId=${ids[2]}&limit=3`)).map((o) => o.orderId)).toEqual(ids.slice(2, 5));
    expect((await allOrders('&limit=2')).map((o) => o.orderId)).toEqual(ids.slice(-2));
  });
});

describe('simulated Bybit order and execution history, with a cursor', () => {
  let venue: SimulatedVenue;
  let endpoints: VenueEndpoints;
  let ids: number[];

  beforeAll(async () => {
    ({ venue, endpoints } = await startTestVenue({ dialect: 'bybit', name: 'sim-bybit-history' }));
    ids = placeHistory(venue);
  });
  afterAll(() => venue.stop());

  async function get(path: string, query: string): Promise<{ retCode: number; retMsg: string; result: { nextPageCursor: string; list: Array<Record<string, string>> } }> {
    const timestamp = String(Date.now());
    const sign = createHmac('sha256', TRADER.secret).update(`${timestamp}${TRADER.apiKey}5000${query}`).digest('hex');
    const response = await fetch(`${endpoints.restUrl}${path}?${query}`, {
      headers: { 'X-BAPI-API-KEY': TRADER.apiKey, 'X-BAPI-TIMESTAMP': timestamp, 'X-BAPI-RECV-WINDOW': '5000', 'X-BAPI-SIGN': sign },
    });
    return (await response.json()) as never;
  }

  /** Every page of a list, following nextPageCursor until it is empty. */
  async function allPages(path: string, limit: number): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor = '';
    do {
      const answer = await get(path, `category=spot&symbol=BTCUSDT&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.retCode).toBe(0);
      pages.push(answer.result.list.map((row) => row.orderId ?? row.execId!));
      cursor = answer.result.nextPageCursor;
    } while (cursor !== '');
    return pages;
  }

  it('pages the finished orders newest first until the cursor is empty', async () => {
    const finished = ids.filter((_, i) => i % 2 === 1).reverse().map(String);
    expect(await allPages('/v5/order/history', 2)).toEqual([finished.slice(0, 2), finished.slice(2)]);
  });

  it('pages the executions the same way', async () => {
    // Another account rests the asks the trader takes, one execution per market buy.
    venue.engine.balances.credit('maker', 'BTC', new Decimal(1));
    venue.engine.place({ account: 'maker', symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', quantity: new Decimal('0.005'), price: new Decimal(70_000) });
    for (let i = 0; i < 5; i++) venue.engine.place({ account: TRADER.name, symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: new Decimal('0.001') });
    const executions = venue.engine.ownExecutions(TRADER.name, 'BTCUSDT');
    expect(executions).toHaveLength(5);
    const pages = await allPages('/v5/execution/list', 2);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toHaveLength(executions.length);
    expect(new Set(pages.flat()).size).toBe(executions.length);
  });

  it('refuses a limit or a cursor it cannot serve', async () => {
    expect((await get('/v5/order/history', 'category=spot&limit=51')).retCode).toBe(10001);
    expect((await get('/v5/order/history', 'category=spot&cursor=abc')).retCode).toBe(10001);
  });
});

describe('a simulated venue started again over the same history', () => {
  it('gives order and trade ids from firstId on, never the ids of an earlier run', async () => {
    const firstId = 1_796_400_000_000;
    const { venue } = await startTestVenue({ name: 'sim-restarted', firstId });
    try {
      venue.engine.balances.credit('maker', 'BTC', new Decimal(1));
      const resting = venue.engine.place({ account: 'maker', symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', quantity: new Decimal('0.001'), price: new Decimal(70_000) });
      venue.engine.place({ account: TRADER.name, symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: new Decimal('0.001') });
      expect(resting.orderId).toBeGreaterThanOrEqual(firstId); // the seeded book's own orders come first
      expect(venue.engine.ownExecutions(TRADER.name, 'BTCUSDT').map((execution) => execution.trade.tradeId)).toEqual([firstId]);
    } finally {
      await venue.stop();
    }
  });
});

import { Decimal } from '@crossvenue/schemas';
import ccxt from 'ccxt';
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ccxtClientFor } from '@crossvenue/connectors';
import type { SimulatedVenue, VenueEndpoints } from '@crossvenue/simulator';
import { TRADER, startTestVenue } from '@crossvenue/simulator/testing';

/** The Bybit dialect's own forms of the shared faults: retCode 10006, `u` gaps, repeated executions. */
describe('fault injection on a simulated Bybit venue', () => {
  let venue: SimulatedVenue;
  let endpoints: VenueEndpoints;
  let exchange: ReturnType<typeof ccxtClientFor>;

  beforeAll(async () => {
    ({ venue, endpoints } = await startTestVenue({ dialect: 'bybit', name: 'sim-bybit-faults' }));
    exchange = ccxtClientFor(endpoints, { timeout: 500 });
    await exchange.loadMarkets();
  });
  afterEach(() => venue.faults.clear());
  afterAll(async () => {
    await exchange.close();
    await venue.stop();
  });

  it('rate limits with retCode 10006, which ccxt raises as RateLimitExceeded', async () => {
    venue.faults.set({ rateLimitRequests: 1 });
    await expect(exchange.fetchOrderBook('BTC/USDT')).rejects.toBeInstanceOf(ccxt.RateLimitExceeded);
    await expect(exchange.fetchOrderBook('BTC/USDT')).resolves.toBeDefined();
  });

  it('a lost create ack leaves the order resting, findable by its orderLinkId', async () => {
    venue.faults.set({ orderAckTimeouts: 1 });
    await expect(exchange.createOrder('ETH/USDT', 'limit', 'buy', 0.1, 3000, { clientOrderId: 'lost-1' })).rejects.toBeInstanceOf(ccxt.NetworkError);
    const [found] = await exchange.fetchOpenOrders('ETH/USDT');
    expect(found?.clientOrderId).toBe('lost-1');
  });

  it('a withheld book push is lost: a gap in u, and the next delta carries only the later change', async () => {
    const socket = await open(`${endpoints.wsUrl}/v5/public/spot`);
    socket.send(JSON.stringify({ op: 'subscribe', args: ['orderbook.50.ETHUSDT'] }));
    await sleep(50);
    venue.faults.set({ skipBookUpdates: 1 });
    place('3001');
    await sleep(150);
    place('3002');
    await sleep(150);
    socket.close();
    const pushes = socket.messages.filter((m) => m.topic === 'orderbook.50.ETHUSDT') as Array<{ type: string; data: { u: number; b: string[][] } }>;
    expect(pushes.map((m) => [m.type, m.data.u])).toEqual([['snapshot', 1], ['delta', 3]]);
    expect(pushes[1]!.data.b).toEqual([['3002', '0.1']]);
  });

  it('duplicates and reorders executions on the private stream', async () => {
    const socket = await open(`${endpoints.wsUrl}/v5/private`);
    const expires = Date.now() + 10_000;
    const { createHmac } = await import('node:crypto');
    const signature = createHmac('sha256', TRADER.secret).update(`GET/realtime${expires}`).digest('hex');
    socket.send(JSON.stringify({ op: 'auth', args: [TRADER.apiKey, expires, signature] }));
    socket.send(JSON.stringify({ op: 'subscribe', args: ['order', 'execution'] }));
    await sleep(50);
    venue.faults.set({ duplicateFills: true, reorderFills: true });
    venue.engine.place({ account: TRADER.name, symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: new Decimal('0.1') });
    await sleep(100);
    socket.close();
    const topics = socket.messages.filter((m) => m.topic).map((m) => `${m.topic as string}:${(m.data as Array<{ orderStatus?: string }>)[0]!.orderStatus ?? ''}`);
    expect(socket.messages.slice(0, 2).map((m) => m.success)).toEqual([true, true]);
    expect(topics).toEqual(['order:New', 'order:Filled', 'execution:', 'execution:']);
  });

  function place(price: string) {
    venue.engine.place({ account: TRADER.name, symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', quantity: new Decimal('0.1'), price: new Decimal(price) });
  }
});

async function open(url: string) {
  const socket = new WebSocket(url);
  const messages: Array<Record<string, unknown>> = [];
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await new Promise((resolve) => socket.once('open', resolve));
  return { messages, send: (text: string) => socket.send(text), close: () => socket.close() };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

import { Decimal } from '@crossvenue/schemas';
import ccxt from 'ccxt';
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ccxtClientFor } from '@crossvenue/connectors';
import type { SimulatedVenue, VenueEndpoints } from '@crossvenue/simulator';
import { TRADER, startTestVenue } from '@crossvenue/simulator/testing';

/** Each fault is switched on from the test, observed through the real ccxt client, and switched off. */
describe('fault injection on a simulated Binance venue, as ccxt sees it', () => {
  let venue: SimulatedVenue;
  let endpoints: VenueEndpoints;
  let exchange: ReturnType<typeof ccxtClientFor>;

  beforeAll(async () => {
    ({ venue, endpoints } = await startTestVenue());
    exchange = ccxtClientFor(endpoints, { timeout: 500 });
    await exchange.loadMarkets();
  });

  afterEach(async () => {
    venue.faults.clear();
    await exchange.cancelAllOrders('ETH/USDT').catch(() => undefined);
  });

  afterAll(async () => {
    await exchange.close();
    await venue.stop();
  });

  it('added latency beyond the client timeout makes requests time out', async () => {
    venue.faults.set({ latency: { fixedMs: 800, jitterMs: 0 } });
    await expect(exchange.fetchOrderBook('BTC/USDT')).rejects.toBeInstanceOf(ccxt.RequestTimeout);
    venue.faults.set({ latency: null });
    await expect(exchange.fetchOrderBook('BTC/USDT')).resolves.toBeDefined();
  });

  it('rate-limit rejections arrive as -1003 / HTTP 429, then requests pass again', async () => {
    venue.faults.set({ rateLimitRequests: 1 });
    await expect(exchange.fetchOrderBook('BTC/USDT')).rejects.toBeInstanceOf(ccxt.DDoSProtection);
    await expect(exchange.fetchOrderBook('BTC/USDT')).resolves.toBeDefined();
  });

  it('a swallowed order ack fails the request while the order still rests', async () => {
    venue.faults.set({ orderAckTimeouts: 1, orderAckTimeoutMode: 'destroy' });
    await expect(exchange.createOrder('ETH/USDT', 'limit', 'buy', 0.1, 3000, { clientOrderId: 'lost-ack' })).rejects.toBeInstanceOf(ccxt.NetworkError);
    const found = await exchange.fetchOrder('', 'ETH/USDT', { origClientOrderId: 'lost-ack' });
    expect(found.status).toBe('open');
  });

  it("a hanging order ack runs into the client's timeout", async () => {
    venue.faults.set({ orderAckTimeouts: 1, orderAckTimeoutMode: 'hang' });
    await expect(exchange.createOrder('ETH/USDT', 'limit', 'buy', 0.1, 3000)).rejects.toBeInstanceOf(ccxt.RequestTimeout);
    expect(await exchange.fetchOpenOrders('ETH/USDT')).toHaveLength(1);
  });

  it('a skipped book update breaks the diff chain and ccxt reports it', async () => {
    const client = ccxtClientFor(endpoints);
    await client.loadMarkets();
    await client.watchOrderBook('ETH/USDT');
    venue.faults.set({ skipBookUpdates: 1 });
    venue.engine.place({ account: TRADER.name, symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', quantity: dec('0.1'), price: dec('3000') });
    await sleep(250);
    venue.engine.place({ account: TRADER.name, symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', quantity: dec('0.1'), price: dec('3001') });
    await expect((async () => { for (;;) await client.watchOrderBook('ETH/USDT'); })()).rejects.toBeInstanceOf(ccxt.ChecksumError);
    await client.close();
  });

  it('dropped WebSocket connections reject the pending watch, now or after N messages', async () => {
    const client = ccxtClientFor(endpoints);
    await client.loadMarkets();
    await client.watchOrderBook('BTC/USDT');
    const pending = client.watchOrderBook('BTC/USDT');
    venue.dropConnections();
    await expect(pending).rejects.toBeInstanceOf(ccxt.NetworkError);

    venue.faults.set({ dropEveryMessages: 2 });
    const flow = setInterval(() => venue.engine.place({ account: TRADER.name, symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: dec('0.01'), price: dec('60000') }), 50);
    const again = (async () => { for (;;) await client.watchOrderBook('BTC/USDT'); })();
    await expect(again).rejects.toBeInstanceOf(ccxt.NetworkError);
    clearInterval(flow);
    await client.close();
  });

  it('duplicated fills arrive twice on the stream; ccxt keeps one trade per id', async () => {
    const client = ccxtClientFor(endpoints);
    await client.loadMarkets();
    const watching = client.watchMyTrades('ETH/USDT');
    const stream = await openUserStream(endpoints);
    await sleep(200);
    venue.faults.set({ duplicateFills: true });
    await exchange.createOrder('ETH/USDT', 'market', 'buy', 0.1);
    await watching;
    await sleep(100);
    expect(stream.kinds.filter((kind) => kind === 'executionReport:TRADE')).toHaveLength(2);
    expect(client.myTrades!.length).toBe(1);
    stream.close();
    await client.close();
  });

  it('reordered fills arrive after the message that followed them', async () => {
    const stream = await openUserStream(endpoints);
    venue.faults.set({ reorderFills: true });
    venue.engine.place({ account: TRADER.name, symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: dec('0.1') });
    await sleep(100);
    stream.close();
    expect(stream.kinds).toEqual(['executionReport:NEW', 'outboundAccountPosition', 'executionReport:TRADE']);
  });

  it('a full outage refuses connections, and the venue recovers on the same port', async () => {
    await venue.outage();
    await expect(exchange.fetchOrderBook('BTC/USDT')).rejects.toBeInstanceOf(ccxt.NetworkError);
    await venue.recover();
    expect(venue.endpoints.restUrl).toBe(endpoints.restUrl);
    await expect(exchange.fetchOrderBook('BTC/USDT')).resolves.toBeDefined();
  });

  it("a skewed venue clock stamps by itself and judges a client's timestamps by itself", async () => {
    venue.faults.set({ clockSkewMs: 30_000 });
    const before = Date.now();
    // Far ahead: the client's requests are 30 s old by the venue's clock, outside ccxt's 10 s recvWindow.
    await expect(exchange.fetchBalance()).rejects.toBeInstanceOf(ccxt.InvalidNonce);
    expect(await exchange.fetchTime()).toBeGreaterThanOrEqual(before + 30_000);
    // A little ahead: inside the recvWindow, so accepted, and what the venue stamps is 3 s ahead.
    venue.faults.set({ clockSkewMs: 3_000 });
    const order = await exchange.createOrder('ETH/USDT', 'market', 'buy', 0.1);
    const [trade] = await exchange.fetchMyTrades('ETH/USDT', undefined, undefined, { orderId: order.id });
    expect(trade!.timestamp).toBeGreaterThanOrEqual(before + 3_000);
    // Behind: the client's timestamps are ahead of the venue's clock by more than the 1 s it allows.
    venue.faults.set({ clockSkewMs: -3_000 });
    await expect(exchange.fetchBalance()).rejects.toBeInstanceOf(ccxt.InvalidNonce);
    expect(await (await fetch(`${endpoints.adminUrl}/faults`, { method: 'POST', body: JSON.stringify({ clockSkewMs: 1.5 }) })).json()).toEqual({
      error: 'faults.clockSkewMs: must be an integer (ms ahead of the host; negative: behind)',
    });
  });

  it('the admin endpoint switches faults on and off over HTTP, refusing unknown ones', async () => {
    const admin = (method: string, body?: unknown) =>
      fetch(`${endpoints.adminUrl}/faults`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    expect((await admin('POST', { rateLimitRequests: 1 })).status).toBe(200);
    await expect(exchange.fetchOrderBook('BTC/USDT')).rejects.toBeInstanceOf(ccxt.DDoSProtection);
    expect(await (await admin('POST', { latency: { fixedMs: 5, jitterMs: 5 } })).json()).toEqual({ rateLimitRequests: 0, latency: { fixedMs: 5, jitterMs: 5 } });
    expect(await (await admin('POST', { bogus: 1 })).json()).toEqual({ error: 'faults.bogus: unknown fault' });
    expect(await (await admin('DELETE')).json()).toEqual({});
    const outage = await fetch(`${endpoints.adminUrl}/outage`, { method: 'POST', body: JSON.stringify({ durationMs: 300 }) });
    expect(outage.status).toBe(200);
    await sleep(50);
    await expect(exchange.fetchOrderBook('BTC/USDT')).rejects.toBeInstanceOf(ccxt.NetworkError);
    await sleep(400);
    await expect(exchange.fetchOrderBook('BTC/USDT')).resolves.toBeDefined();
  });
});

/** The trader's listenKey user data stream, recording each event as `e` or `e:x`. */
async function openUserStream(endpoints: VenueEndpoints) {
  const response = await fetch(`${endpoints.restUrl}/api/v3/userDataStream`, { method: 'POST', headers: { 'X-MBX-APIKEY': TRADER.apiKey } });
  const { listenKey } = (await response.json()) as { listenKey: string };
  const socket = new WebSocket(`${endpoints.wsUrl}/ws/${listenKey}`);
  const kinds: string[] = [];
  socket.on('message', (data: Buffer) => {
    const event = JSON.parse(data.toString()) as { e: string; x?: string };
    kinds.push(event.x ? `${event.e}:${event.x}` : event.e);
  });
  await new Promise((resolve) => socket.once('open', resolve));
  return { kinds, close: () => socket.close() };
}

const dec = (value: string) => new Decimal(value);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

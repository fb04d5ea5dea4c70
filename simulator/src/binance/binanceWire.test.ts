import { createHmac } from 'node:crypto';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedVenue, VenueEndpoints } from '../SimulatedVenue.ts';
import { TRADER, startTestVenue } from '../testing/venueFixtures.ts';

/** Raw HTTP against the Binance dialect: security checks and hostile input, answered as Binance does. */
describe('simulated Binance REST: request security and bad input', () => {
  let venue: SimulatedVenue;
  let endpoints: VenueEndpoints;

  beforeAll(async () => {
    ({ venue, endpoints } = await startTestVenue());
  });
  afterAll(() => venue.stop());

  const sign = (query: string, secret = TRADER.secret) => `${query}&signature=${createHmac('sha256', secret).update(query).digest('hex')}`;

  async function call(method: string, path: string, options: { query?: string; body?: string; key?: string | null } = {}) {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (options.key !== null) headers['X-MBX-APIKEY'] = options.key ?? TRADER.apiKey;
    const url = `${endpoints.restUrl}${path}${options.query ? `?${options.query}` : ''}`;
    const response = await fetch(url, { method, headers, ...(options.body === undefined ? {} : { body: options.body }) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('accepts a signed order in the body and the query alike', async () => {
    const order = `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=60000&timestamp=${Date.now()}`;
    expect((await call('POST', '/api/v3/order', { body: sign(order) })).status).toBe(200);
    expect((await call('POST', '/api/v3/order', { query: sign(order.replace('60000', '60001')) })).status).toBe(200);
  });

  it.each([
    ['no API key', { key: null }, 401, -2014],
    ['an unknown API key', { key: 'nobody' }, 401, -2015],
    ['a wrong signature', { secret: 'wrong' }, 400, -1022],
    ['a stale timestamp', { timestamp: Date.now() - 10_000 }, 400, -1021],
    ['a future timestamp', { timestamp: Date.now() + 5_000 }, 400, -1021],
    ['no timestamp', { timestamp: null }, 400, -1102],
  ] as const)('refuses %s with the Binance code', async (_, fault, status, code) => {
    const f = fault as { key?: string | null; secret?: string; timestamp?: number | null };
    const timestamp = f.timestamp === null ? '' : `&timestamp=${f.timestamp ?? Date.now()}`;
    const query = sign(`recvWindow=5000${timestamp}`, f.secret);
    expect(await call('GET', '/api/v3/account', { query, key: f.key })).toMatchObject({ status, body: { code } });
  });

  it.each([
    ['a missing symbol', 'side=BUY&type=LIMIT', -1102],
    ['an unknown symbol', 'symbol=NOPE&side=BUY&type=MARKET&quantity=1', -1121],
    ['a bad side', 'symbol=BTCUSDT&side=UP&type=MARKET&quantity=1', -1117],
    ['a bad type', 'symbol=BTCUSDT&side=BUY&type=STOP&quantity=1', -1116],
    ['a non-decimal quantity', 'symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1e3', -1100],
    ['a negative price', 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=-5', -1100],
    ['an off-tick price', 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=60000.001', -1013],
    ['a bad timeInForce', 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=DAY&quantity=1&price=1', -1115],
  ])('refuses an order with %s', async (_, params, code) => {
    const response = await call('POST', '/api/v3/order', { body: sign(`${params}&timestamp=${Date.now()}`) });
    expect(response).toMatchObject({ status: 400, body: { code } });
  });

  it('survives garbage: odd bodies, methods, paths and WebSocket frames', async () => {
    const garbage = ['{"json":true}', '\u0000\u0001\u0002', '&&&===', 'a'.repeat(100_000), '%E0%A4%A'];
    for (const body of garbage) expect((await call('POST', '/api/v3/order', { body })).status).toBeGreaterThanOrEqual(400);
    expect((await call('PATCH', '/api/v3/order')).status).toBe(404);
    expect((await call('GET', '/api/v3/depth', { query: 'symbol=BTCUSDT&limit=abc' })).body).toMatchObject({ code: -1100 });
    expect((await call('GET', '/api/v3/depth', { query: 'limit=5' })).body).toMatchObject({ code: -1102 });
    const socket = new WebSocket(`${endpoints.wsUrl}/ws-api/v3`);
    const answers: unknown[] = [];
    socket.onmessage = (event) => answers.push(JSON.parse(String(event.data)));
    await new Promise((resolve) => (socket.onopen = resolve));
    for (const frame of ['not json', '[]', '{"id":1}', '{"id":2,"method":"userDataStream.subscribe.signature","params":7}']) socket.send(frame);
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.close();
    expect(answers).toHaveLength(4);
    expect((await call('GET', '/api/v3/ping')).status).toBe(200);
  });
});

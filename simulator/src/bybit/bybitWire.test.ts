import { createHmac } from 'node:crypto';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedVenue, VenueEndpoints } from '../SimulatedVenue.ts';
import { TRADER, startTestVenue } from '../testing/venueFixtures.ts';

/** Raw HTTP against the Bybit dialect: v5 signing checks and hostile input, answered with retCodes. */
describe('simulated Bybit v5 REST: request security and bad input', () => {
  let venue: SimulatedVenue;
  let endpoints: VenueEndpoints;

  beforeAll(async () => {
    ({ venue, endpoints } = await startTestVenue({ dialect: 'bybit', name: 'sim-bybit-wire' }));
  });
  afterAll(() => venue.stop());

  async function post(path: string, body: string, overrides: { key?: string; secret?: string; timestamp?: number; sign?: string } = {}) {
    const timestamp = String(overrides.timestamp ?? Date.now());
    const key = overrides.key ?? TRADER.apiKey;
    const sign = overrides.sign ?? createHmac('sha256', overrides.secret ?? TRADER.secret).update(`${timestamp}${key}5000${body}`).digest('hex');
    const response = await fetch(`${endpoints.restUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-BAPI-API-KEY': key, 'X-BAPI-TIMESTAMP': timestamp, 'X-BAPI-RECV-WINDOW': '5000', 'X-BAPI-SIGN': sign },
      body,
    });
    return (await response.json()) as { retCode: number; retMsg: string; result: Record<string, unknown> };
  }

  const order = JSON.stringify({ category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.001', price: '60000' });

  it('accepts a correctly signed order', async () => {
    expect(await post('/v5/order/create', order)).toMatchObject({ retCode: 0, retMsg: 'OK', result: { orderLinkId: expect.any(String) } });
  });

  it.each([
    ['an unknown key', { key: 'nobody' }, 10003],
    ['a wrong signature', { secret: 'wrong' }, 10004],
    ['a stale timestamp', { timestamp: Date.now() - 60_000 }, 10002],
  ])('refuses %s with retCode %#', async (_, overrides, retCode) => {
    expect((await post('/v5/order/create', order, overrides)).retCode).toBe(retCode);
  });

  it.each([
    ['not JSON', '{nope', 10001],
    ['a JSON array', '[1]', 10001],
    ['a number quantity', order.replace('"0.001"', '0.001'), 10001],
    ['a linear category', order.replace('spot', 'linear'), 10001],
    ['an unknown symbol', order.replace('BTCUSDT', 'NOPE'), 170121],
    ['an off-tick price', order.replace('60000', '60000.001'), 170134],
    ['a tiny quantity', order.replace('0.001', '0.000001'), 170136],
    ['a too small value', order.replace('0.001', '0.00001'), 170140],
  ])('refuses an order with %s', async (_, body, retCode) => {
    expect((await post('/v5/order/create', body)).retCode).toBe(retCode);
  });

  it('survives garbage on the WebSocket endpoints and answers each frame', async () => {
    const socket = new WebSocket(`${endpoints.wsUrl}/v5/private`);
    const answers: Array<{ success?: boolean }> = [];
    socket.on('message', (data: Buffer) => answers.push(JSON.parse(data.toString()) as { success?: boolean }));
    await new Promise((resolve) => socket.once('open', resolve));
    for (const frame of ['garbage', '[]', '{"op":7}', '{"op":"auth","args":"x"}', '{"op":"subscribe","args":["order"]}']) socket.send(frame);
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.close();
    expect(answers.map((a) => a.success)).toEqual([false, false, false, false, false]);
    expect((await fetch(`${endpoints.restUrl}/v5/market/time`)).status).toBe(200);
  });
});

import { createHmac } from 'node:crypto';
import { Decimal } from '@crossvenue/schemas';
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedVenue, VenueEndpoints } from '../SimulatedVenue.ts';
import { TRADER, startTestVenue } from '../testing/venueFixtures.ts';

interface OkxBody {
  code: string;
  msg: string;
  data: Array<Record<string, unknown>>;
}

/** Raw HTTP and WebSocket against the OKX dialect: v5 signing, OKX's error shapes, an order's life. */
describe('simulated OKX v5: request security, error shapes and an order round trip', () => {
  let venue: SimulatedVenue;
  let endpoints: VenueEndpoints;

  beforeAll(async () => {
    ({ venue, endpoints } = await startTestVenue({ dialect: 'okx', name: 'sim-okx-wire' }));
  });
  afterEach(() => venue.faults.clear());
  afterAll(() => venue.stop());

  type Overrides = { key?: string; secret?: string; passphrase?: string; timestamp?: string; sign?: string };

  async function call(method: 'GET' | 'POST', pathAndQuery: string, body = '', overrides: Overrides = {}) {
    const timestamp = overrides.timestamp ?? new Date().toISOString();
    const sign = overrides.sign ?? createHmac('sha256', overrides.secret ?? TRADER.secret).update(`${timestamp}${method}${pathAndQuery}${body}`).digest('base64');
    const headers = {
      'content-type': 'application/json',
      'OK-ACCESS-KEY': overrides.key ?? TRADER.apiKey,
      'OK-ACCESS-PASSPHRASE': overrides.passphrase ?? TRADER.passphrase!,
      'OK-ACCESS-TIMESTAMP': timestamp,
      'OK-ACCESS-SIGN': sign,
    };
    const response = await fetch(`${endpoints.restUrl}${pathAndQuery}`, { method, headers, ...(method === 'POST' ? { body } : {}) });
    return { status: response.status, body: (await response.json()) as OkxBody };
  }

  const order = (changes: Record<string, string> = {}) =>
    JSON.stringify({ instId: 'BTC-USDT', tdMode: 'cash', side: 'buy', ordType: 'limit', sz: '0.001', px: '60000', ...changes });

  it('places, finds by clOrdId, cancels and reports the cancel of an order', async () => {
    const placed = await call('POST', '/api/v5/trade/order', order({ clOrdId: 'wire1' }));
    expect(placed).toMatchObject({ status: 200, body: { code: '0', data: [{ clOrdId: 'wire1', sCode: '0', ordId: expect.stringMatching(/^\d+$/) }] } });
    const ordId = placed.body.data[0]!.ordId;
    const open = await call('GET', '/api/v5/trade/order?instId=BTC-USDT&clOrdId=wire1');
    expect(open.body.data[0]).toMatchObject({ ordId, state: 'live', sz: '0.001', px: '60000', ordType: 'limit', accFillSz: '0', fee: '0' });
    const canceled = await call('POST', '/api/v5/trade/cancel-order', JSON.stringify({ instId: 'BTC-USDT', clOrdId: 'wire1' }));
    expect(canceled.body).toMatchObject({ code: '0', data: [{ ordId, clOrdId: 'wire1', sCode: '0' }] });
    expect((await call('GET', `/api/v5/trade/order?instId=BTC-USDT&ordId=${ordId}`)).body.data[0]).toMatchObject({ state: 'canceled' });
    expect((await call('GET', '/api/v5/trade/orders-history?instType=SPOT&instId=BTC-USDT')).body.data.map((o) => o.ordId)).toContain(ordId);
  });

  it('charges a taker fill as a negative fee in the fill currency', async () => {
    const placed = await call('POST', '/api/v5/trade/order', order({ ordType: 'market', tgtCcy: 'base_ccy', sz: '0.1', px: '' }));
    const ordId = placed.body.data[0]!.ordId;
    const fills = await call('GET', `/api/v5/trade/fills?instId=BTC-USDT&ordId=${ordId}`);
    // 0.1 BTC bought at 64000.01; the 0.2% taker fee is taken from the BTC received.
    expect(fills.body.data).toEqual([expect.objectContaining({ ordId, fillPx: '64000.01', fillSz: '0.1', side: 'buy', execType: 'T', fee: '-0.0002', feeCcy: 'BTC' })]);
  });

  it.each<[string, Overrides, string]>([
    ['an unknown key', { key: 'nobody' }, '50111'],
    ['a wrong passphrase', { passphrase: 'wrong' }, '50105'],
    ['a wrong signature', { secret: 'wrong' }, '50113'],
    ['a stale timestamp', { timestamp: new Date(Date.now() - 60_000).toISOString() }, '50102'],
    ['a timestamp not in ISO form', { timestamp: String(Date.now()) }, '50112'],
    ['no signature', { sign: '' }, '50106'],
  ])('refuses %s with HTTP 401 and code %s', async (_, overrides, code) => {
    expect(await call('GET', '/api/v5/account/balance', '', overrides)).toEqual({ status: 401, body: { code, msg: expect.any(String), data: [] } });
  });

  it.each([
    ['an unknown instrument', order({ instId: 'NOPE-USDT' }), '51001'],
    ['a size off the lot', order({ sz: '0.0000101' }), '51121'],
    ['a size below the minimum', order({ sz: '0.000001' }), '51020'],
    ['an off-tick price', order({ px: '60000.001' }), '51000'],
    ['too little balance', order({ sz: '100' }), '51008'],
    ['a number size', order().replace('"0.001"', '0.001'), '51000'],
    ['a margin trade mode', order({ tdMode: 'cross' }), '51000'],
    ['a quote-sized market buy', order({ ordType: 'market', px: '' }), '51000'],
    ['a crossing post-only order', order({ ordType: 'post_only', px: '64001' }), '51019'],
  ])('refuses an order with %s in its data entry (sCode %s), code 1 for the request', async (_, body, sCode) => {
    expect((await call('POST', '/api/v5/trade/order', body)).body).toMatchObject({ code: '1', msg: 'All operations failed', data: [{ sCode, sMsg: expect.any(String) }] });
  });

  it('answers a batch with one entry per order: code 2 when some failed', async () => {
    const body = `[${order({ clOrdId: 'batchOk' })},${order({ instId: 'NOPE-USDT', clOrdId: 'batchBad' })}]`;
    const answer = await call('POST', '/api/v5/trade/batch-orders', body);
    expect(answer.body).toMatchObject({ code: '2', data: [{ clOrdId: 'batchOk', sCode: '0' }, { clOrdId: 'batchBad', sCode: '51001' }] });
  });

  it('refuses a request as a whole: an unknown order, a rate limit, a body that is not JSON', async () => {
    expect((await call('GET', '/api/v5/trade/order?instId=BTC-USDT&ordId=999999')).body).toEqual({ code: '51603', msg: expect.any(String), data: [] });
    venue.faults.set({ rateLimitRequests: 1 });
    expect(await call('GET', '/api/v5/public/time')).toMatchObject({ status: 429, body: { code: '50011', data: [] } });
    expect((await call('POST', '/api/v5/trade/order', '{nope')).body).toMatchObject({ code: '50002', data: [] });
  });

  it('logs in on the private stream with the passphrase signature, refuses a wrong one, and survives garbage', async () => {
    const socket = await open(`${endpoints.wsUrl}/ws/v5/private`);
    const login = (passphrase: string) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const sign = createHmac('sha256', TRADER.secret).update(`${timestamp}GET/users/self/verify`).digest('base64');
      return JSON.stringify({ op: 'login', args: [{ apiKey: TRADER.apiKey, passphrase, timestamp, sign }] });
    };
    for (const frame of ['ping', 'garbage', '{"op":"subscribe","args":[{"channel":"orders","instType":"SPOT"}]}', login('wrong'), login(TRADER.passphrase!), '{"op":"subscribe","args":[{"channel":"orders","instType":"SPOT"}]}']) {
      socket.send(frame);
    }
    await sleep(100);
    socket.close();
    expect(socket.frames.map((f) => (f === 'pong' ? f : `${String((JSON.parse(f) as { event: string }).event)}:${String((JSON.parse(f) as { code?: string }).code ?? '')}`))).toEqual([
      'pong',
      'error:60012',
      'error:60011',
      'error:60024',
      'login:0',
      'subscribe:',
    ]);
  });

  it('chains book updates by seqId; a withheld update leaves a prevSeqId that is not the last seqId seen', async () => {
    const socket = await open(`${endpoints.wsUrl}/ws/v5/public`);
    socket.send(JSON.stringify({ op: 'subscribe', args: [{ channel: 'books', instId: 'ETH-USDT' }] }));
    await sleep(50);
    place('3001');
    await sleep(150);
    venue.faults.set({ skipBookUpdates: 1 });
    place('3002');
    await sleep(150);
    place('3003');
    await sleep(150);
    socket.close();
    const pushes = socket.frames.map((f) => JSON.parse(f) as { action?: string; data?: Array<{ seqId: number; prevSeqId: number; bids: string[][] }> }).filter((m) => m.action);
    expect(pushes.map((p) => p.action)).toEqual(['snapshot', 'update', 'update']);
    const [snapshot, first, afterGap] = pushes.map((p) => p.data![0]!);
    expect(first!.prevSeqId).toBe(snapshot!.seqId);
    expect(afterGap!.prevSeqId).toBeGreaterThan(first!.seqId);
    expect(afterGap!.bids).toEqual([['3003', '0.1', '0', '1']]);
  });

  function place(price: string) {
    venue.engine.place({ account: TRADER.name, symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', quantity: new Decimal('0.1'), price: new Decimal(price) });
  }
});

async function open(url: string) {
  const socket = new WebSocket(url);
  const frames: string[] = [];
  socket.on('message', (data: Buffer) => frames.push(data.toString()));
  await new Promise((resolve) => socket.once('open', resolve));
  return { frames, send: (text: string) => socket.send(text), close: () => socket.close() };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

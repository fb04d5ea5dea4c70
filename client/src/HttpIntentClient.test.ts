import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpIntentClient } from './HttpIntentClient.ts';

/** What the client sent: the request line, its headers and its JSON body. */
interface Received {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** The request bodies the client sends, read by a stand-in gateway that answers every POST with an intent id. */
describe('HttpIntentClient request bodies', () => {
  let server: Server;
  let client: HttpIntentClient;
  let received: Received[];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        received.push({ method: request.method!, path: request.url!, headers: request.headers, body: text ? JSON.parse(text) : undefined });
        response.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ intentId: 'api-1', status: 'accepted' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new HttpIntentClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'key' });
  });

  beforeEach(() => {
    received = [];
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends a plain order with what is absent left out, not null', async () => {
    await client.place({ portfolio: 'demo', instrument: 'BTC/USDT', side: 'BUY', amount: '0.01' });
    expect(received[0]).toMatchObject({ method: 'POST', path: '/intents' });
    expect(received[0]!.body).toEqual({ kind: 'ORDER', portfolio: 'demo', instrument: 'BTC/USDT', side: 'BUY', amount: '0.01', amountType: 'BASE', timeInForce: 'GTC', postOnly: false, reduceOnly: false });
  });

  it('sends a trigger, an iceberg and a TWAP as the gateway takes them', async () => {
    await client.place({ portfolio: 'demo', instrument: 'BTC/USDT', side: 'SELL', amount: '0.01', trigger: { type: 'TAKE_PROFIT', triggerPrice: '70000' } });
    await client.place({ portfolio: 'demo', instrument: 'BTC/USDT', side: 'BUY', amount: '1', limitPrice: '62000', icebergQuantity: '0.1' });
    await client.place({ portfolio: 'demo', instrument: 'BTC/USDT', side: 'BUY', amount: '0.02', algo: { type: 'TWAP', durationMs: 4_000, sliceIntervalMs: 1_000 } });
    expect(received.map(({ body }) => body)).toMatchObject([
      { trigger: { type: 'TAKE_PROFIT', triggerPrice: '70000' } },
      { limitPrice: '62000', icebergQuantity: '0.1' },
      { algo: { type: 'TWAP', durationMs: 4_000, sliceIntervalMs: 1_000 } },
    ]);
    expect(received.map(({ body }) => ['trigger', 'icebergQuantity', 'algo'].filter((name) => name in (body as object)))).toEqual([['trigger'], ['icebergQuantity'], ['algo']]);
  });

  it('sets a target with only the fields a target takes, and amends and cancels it', async () => {
    const terms = { portfolio: 'demo', instrument: 'BTC/USDT', targetQuantity: '-0.01', side: 'BUY' };
    expect(await client.setTarget(terms, 'key-1')).toBe('api-1');
    await client.setTarget({ portfolio: 'demo', instrument: 'BTC/USDT', targetQuantity: '0', account: 'acc-1', venues: ['simbinance'] });
    await client.modifyTarget('api-1', '0.02');
    await client.cancel('api-1');
    expect(received.map(({ path, body }) => [path, body])).toEqual([
      ['/intents', { kind: 'TARGET_POSITION', portfolio: 'demo', instrument: 'BTC/USDT', targetQuantity: '-0.01' }],
      ['/intents', { kind: 'TARGET_POSITION', portfolio: 'demo', instrument: 'BTC/USDT', targetQuantity: '0', account: 'acc-1', venues: ['simbinance'] }],
      ['/execution/unified_amend', { intentId: 'api-1', targetQuantity: '0.02' }],
      ['/execution/unified_cancel', { intentId: 'api-1' }],
    ]);
    expect(received[0]!.headers['idempotency-key']).toBe('key-1');
  });
});

import { randomUUID } from 'node:crypto';
import { GatewayError, HttpIntentClient } from '@crossvenue/client';
import { DEMO_PORTFOLIO, localApiKey, startEmbeddedRun, type EmbeddedRun } from '@crossvenue/cli';
import { createLogger } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booksOfEveryVenue } from '../support/venueBooks.ts';

const WAIT_MS = 15_000;

/** The HTTP client against the embedded run's gateway: simulated venues, the whole pipeline in process. */
describe('HttpIntentClient, through the gateway of the embedded run', () => {
  const { key, keys } = localApiKey('trader');
  let run: EmbeddedRun;
  let client: HttpIntentClient;

  beforeAll(async () => {
    run = await startEmbeddedRun({ gatewayPort: 0, keys, logger: createLogger('client-test', { level: 'silent' }), demo: { seed: 7, flow: false, movingPrices: false } });
    await booksOfEveryVenue(run, 'BTC/USDT', WAIT_MS);
    client = new HttpIntentClient({ url: run.gatewayUrl, apiKey: key, pollMs: 20 });
  }, 30_000);

  afterAll(async () => {
    await run?.stop();
  });

  it('places a market buy and follows it to DONE with its filled quantity and average price', async () => {
    const intentId = await client.place({ portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'BUY', amount: '0.01', timeInForce: 'IOC' });
    const done = await client.final(intentId, WAIT_MS);
    expect([done.state, done.filledQuantity, done.leavesQuantity]).toEqual(['DONE', '0.01', '0']);
    expect(done.averagePrice).not.toBeNull();
  });

  it('places the same order once for one idempotency key', async () => {
    const order = { portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'SELL' as const, amount: '0.01', timeInForce: 'IOC' as const };
    const idempotencyKey = randomUUID();
    const [first, again] = [await client.place(order, idempotencyKey), await client.place(order, idempotencyKey)];
    expect(again).toBe(first);
    expect((await client.final(first, WAIT_MS)).filledQuantity).toBe('0.01');
  });

  it('amends a resting order and cancels it: CANCELED, nothing filled', async () => {
    // 3% under the demo venues' mid: inside the risk price band, below every ask.
    const intentId = await client.place({ portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'BUY', amount: '0.01', limitPrice: '62000' });
    await waitFor('the order working', async () => (await client.status(intentId))?.state === 'WORKING', WAIT_MS);
    await client.modify(intentId, { limitPrice: '62001' });
    await client.cancel(intentId);
    const canceled = await client.final(intentId, WAIT_MS);
    expect([canceled.state, canceled.filledQuantity]).toEqual(['CANCELED', '0']);
  }, 30_000);

  it('ends a GTD order when its time is up: its resting leg is cancelled at the venue and the intent ends EXPIRED', async () => {
    const intentId = await client.place({ portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'BUY', amount: '0.01', limitPrice: '62000', timeInForce: 'GTD', expireAtMs: Date.now() + 1_500 });
    const expired = await client.final(intentId, WAIT_MS);
    expect(expired).toMatchObject({ state: 'EXPIRED', rule: 'time_in_force', filledQuantity: '0' });
    expect(expired.reason).toMatch(/^GTD: its time was up at /);
    const intent = (await (await fetch(`${run.gatewayUrl}/intents/${intentId}`, { headers: { 'x-api-key': key } })).json()) as { actual: { orders: Array<{ state: string }> } };
    expect(intent.actual.orders.map((order) => order.state)).toEqual(['CANCELED']);
  }, 30_000);

  it('surfaces a refusal as a GatewayError with the status, code, field and reason', async () => {
    const refused = await client.place({ portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'BUY', amount: '100', amountType: 'QUOTE', timeInForce: 'FOK', limitPrice: '100000' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({ status: 422, code: 'not_executed', field: 'timeInForce' });
    expect((refused as Error).message).toContain('FOK needs a BASE amount');
  });
});

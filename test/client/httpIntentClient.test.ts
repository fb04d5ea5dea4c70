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
    await booksOfEveryVenue(run, 'ETH/USDT', WAIT_MS);
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

  it('sets a target position: DONE at it and held (final() waits on), moved by an amend, ended by a cancel', async () => {
    // ETH/USDT, which nothing else here trades: the target is the portfolio's position, from flat.
    const intentId = await client.setTarget({ portfolio: DEMO_PORTFOLIO, instrument: 'ETH/USDT', targetQuantity: '0.01' });
    expect(await client.reached(intentId, WAIT_MS)).toMatchObject({ state: 'DONE', side: 'BUY', filledQuantity: '0.01', leavesQuantity: '0' });
    await expect(client.final(intentId, 300)).rejects.toThrow(`intent ${intentId}: no final status within 300 ms (last: DONE)`);
    await client.modifyTarget(intentId, '0.02');
    const moved = await client.until(intentId, (status) => status.state === 'DONE' && status.filledQuantity === '0.02', WAIT_MS);
    expect(moved).toMatchObject({ leavesQuantity: '0', requestedQuantity: '0.02' });
    await client.cancel(intentId);
    expect(await client.final(intentId, WAIT_MS)).toMatchObject({ state: 'CANCELED', filledQuantity: '0.02' });
  }, 30_000);

  it('runs a TWAP of 0.02 over 4 s in 1 s slices to DONE, its status carrying the schedule', async () => {
    const intentId = await client.place({ portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'BUY', amount: '0.02', algo: { type: 'TWAP', durationMs: 4_000, sliceIntervalMs: 1_000 } });
    const done = await client.final(intentId, WAIT_MS);
    expect(done).toMatchObject({ state: 'DONE', filledQuantity: '0.02', leavesQuantity: '0' });
    expect(done.algo).toMatchObject({ type: 'TWAP', slices: 4, scheduledQuantity: '0.02', deviation: '0' });
    expect(done.algo!.endsAtMs - done.algo!.startedAtMs).toBe(4_000);
    expect(done.algo!.slicesSent).toBeGreaterThanOrEqual(4);
  }, 30_000);

  it('arms a stop, which rests ACCEPTED with nothing at the venues until cancelled', async () => {
    // Far under the demo venues' mid: a SELL stop there never fires in this test.
    const intentId = await client.place({ portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'SELL', amount: '0.01', trigger: { type: 'STOP', triggerPrice: '40000' } });
    await client.until(intentId, (status) => status.state === 'ACCEPTED', WAIT_MS);
    await client.cancel(intentId);
    expect(await client.final(intentId, WAIT_MS)).toMatchObject({ state: 'CANCELED', filledQuantity: '0' });
    const intent = (await (await fetch(`${run.gatewayUrl}/intents/${intentId}`, { headers: { 'x-api-key': key } })).json()) as { actual: { orders: unknown[] } };
    expect(intent.actual.orders).toEqual([]);
  }, 30_000);

  it('surfaces a refusal as a GatewayError with the status, code, field and reason', async () => {
    const refused = await client.place({ portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'BUY', amount: '100', amountType: 'QUOTE', timeInForce: 'FOK', limitPrice: '100000' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({ status: 422, code: 'not_executed', field: 'timeInForce' });
    expect((refused as Error).message).toContain('FOK needs a BASE amount');
  });
});

import { randomUUID } from 'node:crypto';
import { KafkaIntentClient } from '@crossvenue/client';
import { DEMO_PORTFOLIO, localApiKey, startEmbeddedRun, type EmbeddedRun } from '@crossvenue/cli';
import { createLogger, kafkaMessageBus, resolveEndpoints } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { RegistryCodec, type IntentStatus } from '@crossvenue/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booksOfEveryVenue } from '../support/venueBooks.ts';
import { deleteNamespaceTopics } from '../support/namespaceTopics.ts';

const WAIT_MS = 20_000;

/**
 * The Kafka client against the whole pipeline on the real broker and registry, under a namespace of
 * its own: intents published as a strategy publishes them, statuses read back from the topic.
 */
describe('KafkaIntentClient on Kafka and the schema registry', () => {
  const logger = createLogger('kafka-client-test', { level: 'silent' });
  const endpoints = resolveEndpoints();
  const namespace = `client-${randomUUID().slice(0, 8)}.`;
  let run: EmbeddedRun;
  let client: KafkaIntentClient;

  beforeAll(async () => {
    const messages = kafkaMessageBus('kafka-client-test', logger, { endpoints, namespace });
    run = await startEmbeddedRun({ gatewayPort: 0, keys: localApiKey('read').keys, logger, demo: { seed: 3, flow: false, movingPrices: false }, bus: { messages, codec: new RegistryCodec(endpoints.schemaRegistryUrl) } });
    await booksOfEveryVenue(run, 'BTC/USDT', WAIT_MS);
    await booksOfEveryVenue(run, 'ETH/USDT', WAIT_MS);
    client = await KafkaIntentClient.connect({ endpoints, namespace, logger, source: 'STRATEGY', requestedBy: 'client-test' });
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await run?.stop();
    await deleteNamespaceTopics(endpoints, namespace, logger);
  });

  it('places a market buy and follows its statuses to DONE, each numbered on from the one before', async () => {
    const seen: IntentStatus[] = [];
    const intentId = await client.place({ portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'BUY', amount: '0.01', timeInForce: 'IOC' });
    const stop = client.onStatus((status) => status.intentId === intentId && seen.push(status));
    const done = await client.final(intentId, WAIT_MS);
    stop();
    expect(done).toMatchObject({ state: 'DONE', filledQuantity: '0.01', leavesQuantity: '0', source: 'STRATEGY', portfolio: DEMO_PORTFOLIO });
    expect(done.averagePrice).not.toBeNull();
    expect(client.status(intentId)).toEqual(done);
    const numbers = seen.map((status) => Number(status.eventId.split(':status:')[1]));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it('sets a target position it follows to DONE, not final until cancelled, and moves it with a MODIFY', async () => {
    // ETH/USDT, which nothing else here trades: the target is the portfolio's position, from flat.
    const intentId = await client.setTarget({ portfolio: DEMO_PORTFOLIO, instrument: 'ETH/USDT', targetQuantity: '0.01' }, `client-target-${randomUUID()}`);
    expect(await client.reached(intentId, WAIT_MS)).toMatchObject({ state: 'DONE', side: 'BUY', filledQuantity: '0.01', leavesQuantity: '0', source: 'STRATEGY' });
    await expect(client.final(intentId, 300)).rejects.toThrow(`intent ${intentId}: no final status within 300 ms (last: DONE)`);
    await expect(client.modify(intentId, { amount: '0.02' })).rejects.toThrow(`intent ${intentId} is a TARGET_POSITION: change its targetQuantity`);
    await client.modifyTarget(intentId, '0.02');
    expect(await client.until(intentId, (status) => status.state === 'DONE' && status.filledQuantity === '0.02', WAIT_MS)).toMatchObject({ leavesQuantity: '0' });
    await client.cancel(intentId);
    expect(await client.final(intentId, WAIT_MS)).toMatchObject({ state: 'CANCELED', filledQuantity: '0.02' });
  });

  it('runs a TWAP of 0.02 over 4 s in 1 s slices to DONE, each status carrying how far the schedule got', async () => {
    const progress: Array<NonNullable<IntentStatus['algo']>> = [];
    // Its id given, so the listener is on before the first status can be read.
    const intentId = `client-twap-${randomUUID()}`;
    const stop = client.onStatus((status) => status.intentId === intentId && status.algo && progress.push(status.algo));
    await client.place({ portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'BUY', amount: '0.02', algo: { type: 'TWAP', durationMs: 4_000, sliceIntervalMs: 1_000 } }, intentId);
    const done = await client.final(intentId, WAIT_MS);
    stop();
    expect(done).toMatchObject({ state: 'DONE', filledQuantity: '0.02', leavesQuantity: '0' });
    expect(done.algo).toMatchObject({ type: 'TWAP', slices: 4, scheduledQuantity: '0.02', deviation: '0' });
    const sent = progress.map((algo) => algo.slicesSent);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    expect(sent.at(-1)).toBeGreaterThanOrEqual(4);
  });

  it('places an iceberg that shows one slice at a time, and a stop that rests armed, and cancels both', async () => {
    // 3% under the demo venues' mid: the slice rests; far under it, the SELL stop never fires here.
    const iceberg = await client.place({ portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'BUY', amount: '0.03', limitPrice: '62000', icebergQuantity: '0.01' });
    const stopOrder = await client.place({ portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'SELL', amount: '0.01', trigger: { type: 'STOP', triggerPrice: '40000' } });
    await waitFor('the iceberg working', () => client.status(iceberg)?.state === 'WORKING', WAIT_MS);
    await client.until(stopOrder, (status) => status.state === 'ACCEPTED', WAIT_MS);
    await Promise.all([client.cancel(iceberg), client.cancel(stopOrder)]);
    expect(await client.final(iceberg, WAIT_MS)).toMatchObject({ state: 'CANCELED', requestedQuantity: '0.03', filledQuantity: '0' });
    expect(await client.final(stopOrder, WAIT_MS)).toMatchObject({ state: 'CANCELED', filledQuantity: '0' });
  });

  it('cancels a resting order it placed, and refuses to change one it did not', async () => {
    const intentId = await client.place({ portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'BUY', amount: '0.01', limitPrice: '62000' });
    await waitFor('the order working', () => client.status(intentId)?.state === 'WORKING', WAIT_MS);
    await client.modify(intentId, { limitPrice: '62001' });
    await client.cancel(intentId);
    expect(await client.final(intentId, WAIT_MS)).toMatchObject({ state: 'CANCELED', filledQuantity: '0' });
    await expect(client.cancel('someone-else')).rejects.toThrow('intent someone-else was not placed by this client');
  });
});

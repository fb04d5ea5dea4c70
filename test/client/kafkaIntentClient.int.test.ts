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

  it('cancels a resting order it placed, and refuses to change one it did not', async () => {
    const intentId = await client.place({ portfolio: DEMO_PORTFOLIO, instrument: 'BTC/USDT', side: 'BUY', amount: '0.01', limitPrice: '62000' });
    await waitFor('the order working', () => client.status(intentId)?.state === 'WORKING', WAIT_MS);
    await client.modify(intentId, { limitPrice: '62001' });
    await client.cancel(intentId);
    expect(await client.final(intentId, WAIT_MS)).toMatchObject({ state: 'CANCELED', filledQuantity: '0' });
    await expect(client.cancel('someone-else')).rejects.toThrow('intent someone-else was not placed by this client');
  });
});

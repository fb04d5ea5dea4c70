import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS, type BookSnapshot, type Intent } from '@crossvenue/schemas';
import { createLogger, kafkaMessageBus, resolveEndpoints, WorkerMetrics } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strategyWorker } from './strategy.ts';
import type { RunningWorker } from './WorkerDefinition.ts';

const endpoints = resolveEndpoints();
const logger = createLogger('strategy-int', { level: 'warn' });

function book(venue: string, bid: string, ask: string): BookSnapshot {
  const now = Date.now();
  return { eventId: `${venue}:${randomUUID()}`, venue, instrument: 'BTC/USDT', venueSymbol: 'BTCUSDT', sequence: now, venueTimeMs: now, receivedAtMs: now, bids: [{ price: bid, quantity: '1' }], asks: [{ price: ask, quantity: '1' }] };
}

/**
 * The strategy worker as `crossvenue worker strategy` runs it, on Kafka and the registry, under a
 * namespace of its own (its books are nobody else's): a module from a file, settings from the
 * environment, its intents on exec.intents.
 */
describe('strategy worker on Kafka and the schema registry', () => {
  const namespace = `strategy-int-${randomUUID().slice(0, 8)}.`;
  const workerBus = kafkaMessageBus('strategy-int-worker', logger, { endpoints, namespace });
  const testBus = kafkaMessageBus('strategy-int-test', logger, { endpoints, namespace });
  const intents: Intent[] = [];
  let worker: RunningWorker | undefined;

  beforeAll(async () => {
    await workerBus.prepare(strategyWorker.topics);
    await testBus.prepare(strategyWorker.topics);
    await testBus.subscribe({ groupId: 'observer', topics: [TOPICS.intents], fromBeginning: true, handle: async (batch) => void intents.push(...batch.map(({ value }) => value)) });
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await testBus.bus.deleteTopics(strategyWorker.topics.flatMap((topic) => [topic.name, topic.deadLetter.name]));
    await workerBus.bus.close();
    await testBus.bus.close();
  });

  it('loads a strategy module, hands it the books it trades, and publishes the intents it asks for', async () => {
    // A strategy module as a desk would write one: its default export makes the strategy from its settings.
    const module = join(tmpdir(), `strategy-${randomUUID().slice(0, 8)}.mjs`);
    writeFileSync(
      module,
      `export default (settings) => ({
        instruments: ['BTC/USDT'],
        async onBook(book, context) {
          if (context.books('BTC/USDT').size === 2) await context.place({ instrument: 'BTC/USDT', side: 'BUY', amount: settings.clip, limitPrice: book.asks[0].price });
        },
      });\n`,
    );
    const env = { STRATEGY_NAME: 'two-books', STRATEGY_MODULE: module, PORTFOLIO: 'desk-1', STRATEGY_SETTINGS_JSON: '{"clip":"0.25"}' };
    worker = await strategyWorker.start({ messages: workerBus, logger, endpoints, env, metrics: new WorkerMetrics('strategy') });
    // It reads books published from now on; until its consumer is placed, republish.
    await waitFor('an intent', async () => {
      await testBus.publish(TOPICS.bookSnapshots, [book('binance', '99', '101'), book('okx', '99.5', '100.5')]);
      return intents.length > 0;
    }, 45_000);
    expect(intents[0]).toMatchObject({ action: 'PLACE', portfolio: 'desk-1', source: 'STRATEGY', requestedBy: 'two-books', instrument: 'BTC/USDT', order: { side: 'BUY', amount: '0.25' } });
    expect(intents[0]!.intentId).toMatch(/^two-books-[0-9a-z]+-0$/);
  }, 60_000);

  it('refuses to start on a bad setting, with one line naming it', async () => {
    const start = (env: Record<string, string>) => strategyWorker.start({ messages: workerBus, logger, endpoints, env, metrics: new WorkerMetrics('strategy') });
    const base = { STRATEGY_NAME: 'x', STRATEGY_MODULE: 'mid-reversion', PORTFOLIO: 'desk-1' };
    await expect(start({ ...base, STRATEGY_NAME: '' })).rejects.toThrow('STRATEGY_NAME: expected a strategy name');
    await expect(start({ ...base, STRATEGY_SETTINGS_JSON: '[1]' })).rejects.toThrow('STRATEGY_SETTINGS_JSON: expected a JSON object, got "[1]"');
    await expect(start({ ...base, STRATEGY_SETTINGS_JSON: '{"instrument":"BTC/USDT","clip":"1"}' })).rejects.toThrow('strategy settings maxPosition');
    await expect(start({ ...base, STRATEGY_MODULE: '/nowhere/strategy.ts' })).rejects.toThrow('strategy module: no strategy module at /nowhere/strategy.ts');
  });
});

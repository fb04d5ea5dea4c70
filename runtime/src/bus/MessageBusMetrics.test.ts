import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LocalCodec, TOPICS } from '@crossvenue/schemas';
import type { BookSnapshot } from '@crossvenue/schemas';
import { createLogger } from '../logger.ts';
import { WorkerMetrics } from '../metrics.ts';
import { waitFor } from '../testing/waitFor.ts';
import { InProcessBus } from './InProcessBus.ts';
import { MessageBus } from './MessageBus.ts';

describe('MessageBus metrics', () => {
  it('counts records in and out, dead letters, and the consumer lag', async () => {
    const metrics = new WorkerMetrics('test');
    const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('test', { level: 'silent' }), metrics);
    const topic = TOPICS.bookSnapshots;
    await messages.prepare([topic]);
    const book: BookSnapshot = { eventId: randomUUID(), venue: 'v', instrument: 'BTC/USDT', venueSymbol: 'BTCUSDT', sequence: 1, venueTimeMs: null, receivedAtMs: 1, bids: [], asks: [] };
    const another: BookSnapshot = { ...book, eventId: randomUUID() };
    await messages.publish(topic, [book, another]);
    // @ts-expect-error a topic takes only its own message type
    await expect(messages.publish(TOPICS.fills, [book])).rejects.toThrow();
    await messages.bus.publish([{ topic: topic.name, key: 'BTC/USDT', value: Buffer.from('garbage') }]);

    let handled = 0;
    const consumer = await messages.subscribe({ groupId: 'g', topics: [topic], fromBeginning: true, handle: async (batch) => void (handled += batch.length) });
    await waitFor('both books', () => handled === 2);
    await consumer.stop();

    const value = async (name: string) => (await metrics.registry.getSingleMetric(name)!.get()).values;
    expect((await value('crossvenue_records_out_total'))[0]?.value).toBe(2);
    expect((await value('crossvenue_records_in_total'))[0]?.value).toBe(3);
    expect((await value('crossvenue_dead_letters_total'))[0]?.value).toBe(1);
    expect((await value('crossvenue_consumer_lag')).map((sample) => sample.value)).toEqual([0]);
  });
});

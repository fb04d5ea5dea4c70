import { describe, expect, it } from 'vitest';
import { BookSnapshotSchema, defineTopic, LocalCodec, type BookSnapshot } from '@crossvenue/schemas';
import { createLogger } from '../logger.ts';
import { waitFor } from '../testing/waitFor.ts';
import { InProcessBus } from './InProcessBus.ts';
import { MessageBus, type Delivered } from './MessageBus.ts';

const topic = defineTopic({ name: 'test.books', schema: BookSnapshotSchema, keyDoc: 'instrument', key: (value) => value.instrument, partitions: 2, compacted: false });

const book: BookSnapshot = {
  eventId: 'b1',
  venue: 'binance',
  instrument: 'BTC/USDT',
  venueSymbol: 'BTCUSDT',
  sequence: 1,
  venueTimeMs: 1,
  receivedAtMs: 2,
  bids: [{ price: '64000', quantity: '1' }],
  asks: [{ price: '64000.1', quantity: '2' }],
};

async function groupsReading(count: number) {
  const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('shared-decodes-test', { level: 'silent' }));
  await messages.prepare([topic]);
  const received = Array.from({ length: count }, () => [] as Array<Delivered<BookSnapshot>>);
  for (const [i, into] of received.entries()) {
    await messages.subscribe({ groupId: `g${i}`, topics: [topic], fromBeginning: true, handle: async (batch) => void into.push(...batch) });
  }
  return { messages, received };
}

describe('SharedDecodes (through MessageBus on the in-process bus)', () => {
  it('hands every group the one decoded value of a record, frozen so that no handler can change it under the others', async () => {
    const { messages, received } = await groupsReading(3);
    await messages.publish(topic, [book]);
    await waitFor('every group', () => received.every((into) => into.length === 1));
    const [first, ...others] = received.map((into) => into[0]!.value);
    for (const other of others) expect(other).toBe(first);
    expect(first).toEqual(book);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first!.bids[0])).toBe(true);
    expect(() => (first!.bids as unknown as unknown[]).push({ price: '1', quantity: '1' })).toThrow(TypeError);
    await messages.bus.close();
  });

  it('lets each group dead-letter bytes that do not decode, as without sharing', async () => {
    const { messages, received } = await groupsReading(2);
    await messages.bus.publish([{ topic: topic.name, key: 'bad', value: Buffer.from('not avro at all') }]);
    await messages.publish(topic, [book]);
    await waitFor('every group', () => received.every((into) => into.length === 1));
    const bus = messages.bus as InProcessBus;
    expect(bus.records(topic.deadLetter.name, 0)).toHaveLength(2);
    await messages.bus.close();
  });
});

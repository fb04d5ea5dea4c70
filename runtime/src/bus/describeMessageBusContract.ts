import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Codec } from '@crossvenue/schemas';
import { BookSnapshotSchema, type BookSnapshot, defineTopic } from '@crossvenue/schemas';
import { createLogger } from '../logger.ts';
import { waitFor } from '../testing/waitFor.ts';
import type { Bus, ConsumedRecord } from './Bus.ts';
import { DEAD_LETTER_HEADERS, MessageBus, type Delivered } from './MessageBus.ts';

/**
 * Typed publishing and dead-lettering, the same on Kafka with the real registry and on the
 * in-process bus with the local codec: bad bytes never stop a consumer and are never lost.
 */
export function describeMessageBusContract(name: string, make: () => Promise<{ bus: Bus; codec: Codec }>): void {
  describe(`${name}: message bus contract`, () => {
    let messages: MessageBus;
    let codec: Codec;
    const stops: Array<() => Promise<void>> = [];
    beforeAll(async () => {
      const made = await make();
      codec = made.codec;
      messages = new MessageBus(made.bus, codec, createLogger('message-bus-contract', { level: 'error' }));
    });
    afterAll(async () => {
      for (const stop of stops) await stop();
      await messages.bus.close();
    });

    const book = (instrument: string, price: string): BookSnapshot => ({
      eventId: randomUUID(),
      venue: 'binance',
      instrument,
      venueSymbol: instrument.replace('/', ''),
      sequence: 9_007_199_254,
      venueTimeMs: 1_700_000_000_123,
      receivedAtMs: 1_700_000_000_456,
      bids: [{ price, quantity: '0.00012345' }],
      asks: [{ price: '64000.10', quantity: '1.5' }],
    });

    const newTopic = () =>
      defineTopic({
        name: `test.books.${randomUUID().slice(0, 8)}`,
        schema: BookSnapshotSchema,
        keyDoc: 'instrument',
        key: (value) => value.instrument,
        partitions: 2,
        compacted: false,
      });

    async function subscribe(topic: ReturnType<typeof newTopic>, groupId: string) {
      const received: Array<Delivered<BookSnapshot>> = [];
      const consumer = await messages.subscribe({
        groupId,
        topics: [topic],
        fromBeginning: true,
        handle: async (batch) => void received.push(...batch),
      });
      stops.push(() => consumer.stop());
      return { received, consumer };
    }

    async function readAll(topic: string, count: number): Promise<ConsumedRecord[]> {
      const records: ConsumedRecord[] = [];
      const consumer = await messages.bus.consume({
        groupId: `reader.${randomUUID()}`,
        topics: [topic],
        fromBeginning: true,
        handleBatch: async (batch) => void records.push(...batch.records),
      });
      await waitFor(`${count} records on ${topic}`, () => records.length >= count);
      await consumer.stop();
      return records;
    }

    it('publishes typed values keyed by the catalogue and decodes them with exact decimals', async () => {
      const topic = newTopic();
      await messages.prepare([topic]);
      const sent = [book('BTC/USDT', '63999.99000001'), book('ETH/USDT', '3100.5')];
      await messages.publish(topic, sent);

      const { received } = await subscribe(topic, `g.${randomUUID()}`);
      await waitFor('2 books', () => received.length === 2);
      const byInstrument = new Map(received.map((message) => [message.key, message.value]));
      expect({ ...byInstrument.get('BTC/USDT') }).toEqual(sent[0]);
      expect(byInstrument.get('ETH/USDT')?.bids[0]?.price).toBe('3100.5');
    });

    it('refuses to publish a value whose decimal field is not a decimal', async () => {
      const topic = newTopic();
      await messages.prepare([topic]);
      await expect(messages.publish(topic, [book('BTC/USDT', '1e5')])).rejects.toThrow(
        `encode ${topic.name}: bids[0].price: "1e5" is not a decimal`,
      );
    });

    it('dead-letters a delivered record that its handler finds invalid, with its original bytes and headers', async () => {
      const topic = newTopic();
      await messages.prepare([topic]);
      const bytes = await codec.encode(topic, book('BTC/USDT', '7'));
      await messages.bus.publish([{ topic: topic.name, key: 'BTC/USDT', value: bytes, headers: { trace: 't-1' } }]);
      const { received } = await subscribe(topic, `g.${randomUUID()}`);
      await waitFor('the record', () => received.length === 1);
      expect(received[0]!.raw).toEqual(bytes);

      await messages.deadLetterDelivered(topic, received[0]!, 'breaks a domain rule');
      const [letter] = await readAll(topic.deadLetter.name, 1);
      expect(letter?.key).toBe('BTC/USDT');
      expect(letter?.value).toEqual(bytes);
      expect(letter?.headers).toMatchObject({
        trace: 't-1',
        [DEAD_LETTER_HEADERS.reason]: 'breaks a domain rule',
        [DEAD_LETTER_HEADERS.sourceTopic]: topic.name,
        [DEAD_LETTER_HEADERS.sourcePartition]: String(received[0]!.partition),
        [DEAD_LETTER_HEADERS.sourceOffset]: received[0]!.offset,
      });
    });

    it('dead-letters undecodable and contract-breaking records with their bytes and reason, and goes on', async () => {
      const topic = newTopic();
      await messages.prepare([topic]);
      const valid = await codec.encode(topic, book('BTC/USDT', '1234'));
      // Same length, so the Avro body stays well-formed while the price stops being a decimal.
      const notDecimal = Buffer.from(valid.toString('latin1').replace('1234', '12a4'), 'latin1');
      const unknownSchemaId = Buffer.concat([Buffer.from([0, 0x7f, 0xff, 0xff, 0x01]), valid.subarray(5)]);
      const bad: Array<[label: string, bytes: Buffer, reason: string]> = [
        ['garbage', Buffer.from('not avro at all'), 'not in the Confluent wire format'],
        ['wrong magic byte', Buffer.concat([Buffer.from([1]), valid.subarray(1)]), 'magic byte 1'],
        ['unknown schema id', unknownSchemaId, 'schema id 2147483393 is unknown'],
        ['price not a decimal', notDecimal, 'bids[0].price: "12a4" is not a decimal'],
      ];
      await messages.bus.publish(bad.map(([label, bytes]) => ({ topic: topic.name, key: label, value: bytes })));
      await messages.publish(topic, [book('BTC/USDT', '42')]);

      const groupId = `g.${randomUUID()}`;
      const first = await subscribe(topic, groupId);
      await waitFor('the good record', () => first.received.length === 1);
      expect(first.received[0]?.value.bids[0]?.price).toBe('42');

      const dead = await readAll(topic.deadLetter.name, bad.length);
      for (const [label, bytes, reason] of bad) {
        const letter = dead.find((record) => record.key === label);
        expect(letter?.value).toEqual(bytes);
        expect(letter?.headers[DEAD_LETTER_HEADERS.reason]).toContain(reason);
        expect(letter?.headers[DEAD_LETTER_HEADERS.sourceTopic]).toBe(topic.name);
        expect(letter?.headers[DEAD_LETTER_HEADERS.sourceOffset]).toMatch(/^\d+$/);
      }

      // The group committed past the bad records: a restarted consumer sees only what comes next.
      await first.consumer.stop();
      await messages.publish(topic, [book('BTC/USDT', '43')]);
      const second = await subscribe(topic, groupId);
      await waitFor('the next good record', () => second.received.length >= 1);
      expect(second.received.map((message) => message.value.bids[0]?.price)).toEqual(['43']);
    });
  });
}

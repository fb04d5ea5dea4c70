import { BookSnapshotSchema, defineTopic, LocalCodec, type BookSnapshot, type CodecTopic } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import type { OutgoingRecord } from './Bus.ts';
import { InProcessBus } from './InProcessBus.ts';
import { MessageBus } from './MessageBus.ts';

const topic = defineTopic({ name: 'test.order.books', schema: BookSnapshotSchema, keyDoc: 'instrument', key: (value) => value.instrument, partitions: 1, compacted: false });

const book = (instrument: string): BookSnapshot => ({
  eventId: instrument,
  venue: 'binance',
  instrument,
  venueSymbol: instrument.replace('/', ''),
  sequence: 1,
  venueTimeMs: 1,
  receivedAtMs: 1,
  bids: [{ price: '1', quantity: '1' }],
  asks: [{ price: '2', quantity: '1' }],
});

/** Encodes the first value slowly (a schema looked up at the registry, say), the others at once. */
class SlowFirstCodec extends LocalCodec {
  private calls = 0;
  override async encode(codecTopic: CodecTopic, value: unknown): Promise<Buffer> {
    if ((this.calls += 1) === 1) await new Promise((resolve) => setTimeout(resolve, 30));
    return super.encode(codecTopic, value);
  }
}

/** An in-process bus that notes what it was handed, in order, and holds the first send until released. */
class HeldBus extends InProcessBus {
  readonly handed: string[] = [];
  private release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));
  override async publish(records: OutgoingRecord[]): Promise<void> {
    this.handed.push(...records.map(({ key }) => key!));
    if (this.handed.length === 1) await this.released;
    return super.publish(records);
  }
  releaseFirst(): void {
    this.release();
  }
}

describe('MessageBus.publish', () => {
  it('hands publishes to the bus in the order they were called, a later one not waiting for the send before it', async () => {
    const bus = new HeldBus();
    const codec = new SlowFirstCodec();
    const messages = new MessageBus(bus, codec, createLogger('message-bus-order', { level: 'silent' }));
    await messages.prepare([topic]);
    const first = messages.publish(topic, [book('A/USDT')]);
    const second = messages.publish(topic, [book('B/USDT')]);
    const third = messages.publish(topic, [book('C/USDT')]);
    // The first encode is slow: nothing overtakes it.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(bus.handed).toEqual([]);
    // Its send is held: the later ones are encoded and handed over meanwhile.
    await expect.poll(() => bus.handed).toEqual(['A/USDT', 'B/USDT', 'C/USDT']);
    bus.releaseFirst();
    await Promise.all([first, second, third]);
    await bus.close();
  });

  it('goes on with the next publish after one that could not be encoded', async () => {
    const bus = new InProcessBus();
    const messages = new MessageBus(bus, new LocalCodec(), createLogger('message-bus-order', { level: 'silent' }));
    await messages.prepare([topic]);
    const bad = messages.publish(topic, [{ ...book('A/USDT'), bids: [{ price: 'x', quantity: '1' }] }]);
    await expect(bad).rejects.toThrow(/price/);
    await expect(messages.publish(topic, [book('B/USDT')])).resolves.toBeUndefined();
    await bus.close();
  });
});

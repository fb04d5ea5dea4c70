import { describe, expect, it } from 'vitest';
import { BookSnapshotSchema } from '../messages/BookSnapshot.ts';
import { LocalCodec } from './LocalCodec.ts';

const topic = { name: 'test.books', schema: BookSnapshotSchema };
const book = (levels: number) => ({
  eventId: `b${levels}`,
  venue: 'binance',
  instrument: 'BTC/USDT',
  venueSymbol: 'BTCUSDT',
  sequence: null,
  venueTimeMs: null,
  receivedAtMs: 2,
  bids: Array.from({ length: levels }, (_, i) => ({ price: `${64_000 - i}`, quantity: '1.5' })),
  asks: [{ price: '64000.1', quantity: '2' }],
});

describe('LocalCodec', () => {
  it('round-trips records, each encoding its own bytes though they are written in one reused buffer', async () => {
    const codec = new LocalCodec();
    await codec.register([topic]);
    const first = await codec.encode(topic, book(1));
    const copy = Buffer.from(first);
    await codec.encode(topic, book(2));
    expect(first).toEqual(copy);
    expect(await codec.decode(topic, first)).toEqual(book(1));
  });

  it('encodes a record larger than its buffer', async () => {
    const codec = new LocalCodec();
    await codec.register([topic]);
    const large = book(20_000);
    const bytes = await codec.encode(topic, large);
    expect(bytes.length).toBeGreaterThan(64 * 1_024);
    expect(await codec.decode(topic, bytes)).toEqual(large);
    expect(await codec.decode(topic, await codec.encode(topic, book(3)))).toEqual(book(3));
  });
});

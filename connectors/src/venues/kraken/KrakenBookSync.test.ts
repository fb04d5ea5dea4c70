import { describe, expect, it } from 'vitest';
import type { WireLevel } from '../../book/LocalBook.ts';
import { KrakenBookSync, type KrakenBookData } from './KrakenBookSync.ts';
import { krakenChecksum } from './krakenChecksum.ts';
import { parseKrakenBookMessage } from './krakenBookMessage.ts';

const at = (price: string, volume: string, flag?: 'r'): WireLevel => (flag ? [price, volume, '1618678133.365913', flag] : [price, volume, '1618678133.365913']);
const data = (asks: WireLevel[], bids: WireLevel[], checksum?: string): KrakenBookData => ({ asks, bids, checksum, venueTimeMs: 1618678133366, subscribedDepth: 3 });
/** The checksum Kraken would send for a book with these levels (the venue's view of it). */
const checksumOf = (asks: Array<[string, string]>, bids: Array<[string, string]>) =>
  krakenChecksum(asks.map(([price, quantity]) => ({ price, quantity })), bids.map(([price, quantity]) => ({ price, quantity })));

/** A book-3 subscription (asks 101-103, bids 99 and 98), publishing 5 levels. */
function syncedBook() {
  const sync = new KrakenBookSync('kraken', 'XBT/USD', 5);
  sync.onMessage('snapshot', data([at('101.0', '1.0'), at('102.0', '2.0'), at('103.0', '3.0')], [at('99.0', '1.5'), at('98.0', '2.5')]), 1);
  return sync;
}

describe('KrakenBookSync', () => {
  it('publishes the snapshot, then each update with a matching checksum', () => {
    const sync = syncedBook();
    const [event] = sync.onMessage('update', data([], [at('99.5', '0.7')], checksumOf([['101.0', '1.0'], ['102.0', '2.0'], ['103.0', '3.0']], [['99.5', '0.7'], ['99.0', '1.5'], ['98.0', '2.5']])), 2);
    expect(event).toMatchObject({ type: 'book', venue: 'kraken', symbol: 'XBT/USD', sequence: null, source: 'delta', venueTimeMs: 1618678133366, receivedAtMs: 2 });
    expect(event).toMatchObject({ bids: [['99.5', '0.7'], ['99.0', '1.5'], ['98.0', '2.5']], asks: [['101.0', '1.0'], ['102.0', '2.0'], ['103.0', '3.0']] });
  });

  it('deletes a level whose volume is 0.00000000', () => {
    const sync = syncedBook();
    const [event] = sync.onMessage('update', data([at('101.0', '0.00000000')], []), 2);
    expect(event).toMatchObject({ type: 'book', asks: [['102.0', '2.0'], ['103.0', '3.0']] });
  });

  it('truncates the book to the subscribed depth, and a republished level comes back', () => {
    const sync = syncedBook();
    // 100.5 enters the top three asks: 103.0 falls beyond the depth and is dropped, without a message for it.
    const [inserted] = sync.onMessage('update', data([at('100.5', '0.5')], []), 2);
    expect(inserted).toMatchObject({ type: 'book', asks: [['100.5', '0.5'], ['101.0', '1.0'], ['102.0', '2.0']] });
    // 101.0 leaves: Kraken republishes 103.0 ("r") in the same message, and the checksum covers it.
    const asks: Array<[string, string]> = [['100.5', '0.5'], ['102.0', '2.0'], ['103.0', '3.0']];
    const [republished] = sync.onMessage('update', data([at('101.0', '0.00000000'), at('103.0', '3.0', 'r')], [], checksumOf(asks, [['99.0', '1.5'], ['98.0', '2.5']])), 3);
    expect(republished).toMatchObject({ type: 'book', asks });
  });

  it('reports a checksum mismatch as a resync and ignores updates until the next snapshot', () => {
    const sync = syncedBook();
    const [resync] = sync.onMessage('update', data([], [at('99.5', '0.7')], '12345'), 2);
    expect(resync).toEqual({ type: 'resync', venue: 'kraken', symbol: 'XBT/USD', reason: expect.stringMatching(/^checksum mismatch: venue 12345, book \d+$/), receivedAtMs: 2 });
    expect(sync.waitingForSnapshot).toBe(true);
    expect(sync.onMessage('update', data([], [at('99.6', '1.0')]), 3)).toEqual([]);
    expect(sync.onMessage('snapshot', data([at('101.0', '1.0')], [at('99.0', '1.5')]), 4)).toEqual([expect.objectContaining({ type: 'book', source: 'snapshot' })]);
  });
});

describe('parseKrakenBookMessage', () => {
  it('reads a snapshot, and an update whose asks and bids come as two parts', () => {
    expect(parseKrakenBookMessage([1360, { as: [at('0.000022900', '13355.87450757')], bs: [at('0.000022890', '1.0')] }, 'book-1000', 'ADA/XBT'])).toMatchObject({
      pair: 'ADA/XBT',
      action: 'snapshot',
      data: { subscribedDepth: 1000, asks: [['0.000022900', '13355.87450757', '1618678133.365913']], bids: [['0.000022890', '1.0', '1618678133.365913']] },
    });
    const update = [1920, { a: [['0.042990', '364630.28272081', '1618678145.920470']] }, { b: [['0.042990', '0.00000000', '1618678145.920708']], c: '4105471083' }, 'book-1000', 'SC/EUR'];
    expect(parseKrakenBookMessage(update)).toEqual({
      pair: 'SC/EUR',
      action: 'update',
      data: { asks: [['0.042990', '364630.28272081', '1618678145.920470']], bids: [['0.042990', '0.00000000', '1618678145.920708']], checksum: '4105471083', venueTimeMs: 1618678145921, subscribedDepth: 1000 },
    });
  });

  it('passes over events, heartbeats and other channels', () => {
    expect(parseKrakenBookMessage({ event: 'heartbeat' })).toBeUndefined();
    expect(parseKrakenBookMessage([321, [['5541.2', '0.15', '1534614057.3217', 's', 'l', '']], 'trade', 'XBT/USD'])).toBeUndefined();
  });

  it('says what is wrong with a malformed book message', () => {
    expect(() => parseKrakenBookMessage([992, { b: [[354.15, '5.0', '1618678133.36']] }, 'book-1000', 'XMR/USD'])).toThrow('kraken book-1000 XMR/USD: levels must be [price, volume, timestamp] strings');
    expect(() => parseKrakenBookMessage([992, { b: [], c: 2583817756 }, 'book-1000', 'XMR/USD'])).toThrow('kraken book-1000 XMR/USD: the checksum c must be a string');
    expect(() => parseKrakenBookMessage([992, { b: [] }, 'book-x', 'XMR/USD'])).toThrow('kraken book-x XMR/USD: needs a channel name book-N and a pair');
  });
});

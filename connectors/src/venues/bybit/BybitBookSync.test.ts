import { describe, expect, it } from 'vitest';
import { BybitBookSync, type BybitOrderbookData } from './BybitBookSync.ts';

const push = (u: number, b: Array<[string, string]> = [], a: Array<[string, string]> = []): BybitOrderbookData => ({ s: 'BTCUSDT', b, a, u });

describe('BybitBookSync', () => {
  it('builds the book from a snapshot and applies deltas whose u rises by one', () => {
    const sync = new BybitBookSync('bybit', 'BTCUSDT', 2);
    expect(sync.onMessage('delta', push(7, [['99', '1']]), null, 1)).toEqual([]);
    const [snapshot] = sync.onMessage('snapshot', push(10, [['100', '1'], ['99', '2']], [['101', '3']]), 5, 6);
    expect(snapshot).toMatchObject({ type: 'book', source: 'snapshot', sequence: 10, venueTimeMs: 5, receivedAtMs: 6, bids: [['100', '1'], ['99', '2']], asks: [['101', '3']] });
    const [delta] = sync.onMessage('delta', push(11, [['100', '0'], ['98', '4']], [['100.5', '1']]), 7, 8);
    expect(delta).toMatchObject({ type: 'book', source: 'delta', sequence: 11, bids: [['99', '2'], ['98', '4']], asks: [['100.5', '1'], ['101', '3']] });
  });

  it('reports a gap in u as a resync and ignores deltas until the next snapshot', () => {
    const sync = new BybitBookSync('bybit', 'BTCUSDT', 5);
    sync.onMessage('snapshot', push(1, [['100', '1']], [['101', '1']]), null, 1);
    expect(sync.onMessage('delta', push(3, [['100', '2']]), null, 2)).toEqual([
      { type: 'resync', venue: 'bybit', symbol: 'BTCUSDT', reason: 'sequence gap: previous u 1, got u 3', receivedAtMs: 2 },
    ]);
    expect(sync.waitingForSnapshot).toBe(true);
    expect(sync.onMessage('delta', push(4, [['100', '3']]), null, 3)).toEqual([]);
    expect(sync.onMessage('snapshot', push(20, [['100', '9']], [['101', '1']]), null, 4)[0]).toMatchObject({ type: 'book', bids: [['100', '9']] });
  });

  it('treats a delta with u = 1 as a new snapshot (Bybit restarted its side)', () => {
    const sync = new BybitBookSync('bybit', 'BTCUSDT', 5);
    sync.onMessage('snapshot', push(40, [['100', '1'], ['99', '1']], [['101', '1']]), null, 1);
    const [event] = sync.onMessage('delta', push(1, [['98', '1']], [['102', '1']]), null, 2);
    expect(event).toMatchObject({ type: 'book', source: 'snapshot', sequence: 1, bids: [['98', '1']], asks: [['102', '1']] });
  });

  it('never publishes a crossed book', () => {
    const sync = new BybitBookSync('bybit', 'BTCUSDT', 5);
    sync.onMessage('snapshot', push(1, [['100', '1']], [['101', '1']]), null, 1);
    expect(sync.onMessage('delta', push(2, [['101', '1']]), null, 2)).toEqual([expect.objectContaining({ type: 'resync', reason: 'crossed book after update 2' })]);
  });

  it('resets on demand, e.g. when the connection drops', () => {
    const sync = new BybitBookSync('bybit', 'BTCUSDT', 5);
    sync.onMessage('snapshot', push(1, [['100', '1']], [['101', '1']]), null, 1);
    expect(sync.reset('connection lost', 9)).toEqual({ type: 'resync', venue: 'bybit', symbol: 'BTCUSDT', reason: 'connection lost', receivedAtMs: 9 });
    expect(sync.onMessage('delta', push(2), null, 10)).toEqual([]);
  });
});

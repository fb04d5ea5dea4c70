import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDepthSnapshot } from './parseDepthSnapshot.ts';

const CAPTURE = new URL('../../../../shared/data/venues/cryptofeed/sample_data/BINANCE.http.0.0', import.meta.url);
const context = { venue: 'binance', instrument: 'NKN/USDT', venueSymbol: 'NKNUSDT', receivedAtMs: 1_633_998_512_320 };

describe.skipIf(!existsSync(CAPTURE))('parseDepthSnapshot on a recorded Binance depth snapshot', () => {
  it('keeps every level and the exact decimal strings of the venue', () => {
    // Line format (see MANIFEST.md): `URL -> unix_ts: <json>`.
    const line = readFileSync(CAPTURE, 'utf8').split('\n').find((l) => l.includes('symbol=NKNUSDT'))!;
    const payload = JSON.parse(line.slice(line.indexOf(': ') + 2)) as { lastUpdateId: number; bids: string[][]; asks: string[][] };
    const book = parseDepthSnapshot(payload, context);
    expect(book.sequence).toBe(499869752);
    expect(book.bids).toHaveLength(payload.bids.length);
    expect(book.asks).toHaveLength(payload.asks.length);
    expect(book.bids[0]).toEqual({ price: '0.35210000', quantity: '672.00000000' });
    expect(book.asks.at(-1)).toEqual({ price: payload.asks.at(-1)![0], quantity: payload.asks.at(-1)![1] });
  });
});

describe('parseDepthSnapshot refuses what it cannot trust', () => {
  it.each([
    [null, 'binance depth NKNUSDT: payload is not an object'],
    [{ bids: [], asks: [] }, 'binance depth NKNUSDT: lastUpdateId is not an integer'],
    [{ lastUpdateId: 1, bids: {}, asks: [] }, 'binance depth NKNUSDT bids: is not an array'],
    [{ lastUpdateId: 1, bids: [['0.1', '1']], asks: [[0.2, '1']] }, 'binance depth NKNUSDT asks[0]: price 0.2 is not a decimal string'],
    [{ lastUpdateId: 1, bids: [['0.1', 'NaN']], asks: [] }, 'binance depth NKNUSDT bids[0]: quantity "NaN" is not a decimal string'],
  ])('%j', (payload, message) => {
    expect(() => parseDepthSnapshot(payload, context)).toThrow(message);
  });
});

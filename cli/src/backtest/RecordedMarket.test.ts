import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRecordedMarket, symbolMetadataOf } from './RecordedMarket.ts';
import { Decimal } from '@crossvenue/schemas';

let dir: string;

/** A crossvenue-md/1 recording of a Binance spot book (REST snapshot, one diff) and one aggTrade, for NKNUSDT and a symbol with no known quote. */
function recording(): string {
  const lines = [
    { format: 'crossvenue-md/1', venue: 'sim-binance', dialect: 'binance', symbols: ['NKNUSDT', 'ABCXYZ'], startedAtMs: 1_000 },
    { kind: 'rest', url: 'http://127.0.0.1:1/api/v3/depth?symbol=NKNUSDT&limit=1000', receivedAtMs: 1_000, payload: { lastUpdateId: 10, bids: [['0.35210000', '672.00000000']], asks: [['0.35250000', '3959.50000000']] } },
    { kind: 'rest', url: 'http://127.0.0.1:1/api/v3/depth?symbol=ABCXYZ&limit=1000', receivedAtMs: 1_001, payload: { lastUpdateId: 3, bids: [['1.0', '1']], asks: [['1.1', '1']] } },
    { kind: 'ws', url: 'ws://127.0.0.1:1/stream', receivedAtMs: 1_200, payload: { stream: 'nknusdt@depth@100ms', data: { e: 'depthUpdate', E: 1_199, s: 'NKNUSDT', U: 11, u: 11, b: [['0.35215000', '10.00000000']], a: [] } } },
    { kind: 'ws', url: 'ws://127.0.0.1:1/stream', receivedAtMs: 1_300, payload: { stream: 'nknusdt@aggTrade', data: { e: 'aggTrade', s: 'NKNUSDT', p: '0.35250000', q: '58.00000000', m: true } } },
  ];
  return lines.map((line) => JSON.stringify(line)).join('\n');
}

describe('loadRecordedMarket', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recorded-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('unifies symbols, derives tick and lot from the recorded steps, and puts trades beside books in time order', async () => {
    const file = join(dir, 'binance.md');
    await writeFile(file, recording());
    const market = await loadRecordedMarket([file]);
    expect(market.skipped).toEqual(['binance ABCXYZ: no known quote currency at the end of ABCXYZ']);
    expect(market.instruments).toHaveLength(1);
    const [nkn] = market.instruments;
    expect(nkn).toMatchObject({ venue: 'binance', instrument: 'NKN/USDT', venueSymbol: 'NKNUSDT', assetType: 'SPOT', base: 'NKN', quote: 'USDT', settle: null });
    // 0.35215 has five places, 3959.5 one: trailing zeros of the recording do not count.
    expect([nkn!.priceTick.toFixed(), nkn!.quantityStep.toFixed()]).toEqual(['0.00001', '0.1']);
    expect(market.events.map((event) => `${event.atMs} ${event.kind}`)).toEqual(['1000 book', '1200 book', '1300 trade']);
    expect(market.events[2]).toMatchObject({ kind: 'trade', instrument: 'NKN/USDT', trade: { side: 'SELL' } });
    expect([market.startMs, market.endMs, market.spanMs, market.bookEvents]).toEqual([1_000, 1_300, 300, 2]);
    const rules = symbolMetadataOf(nkn!, { maker: new Decimal('0.0002'), taker: new Decimal('0.0005') }, 1_000);
    expect(rules).toMatchObject({ instrument: 'NKN/USDT', priceTick: '0.00001', quantityStep: '0.1', minQuantity: '0.1', makerFee: '0.0002', takerFee: '0.0005' });
  });

  it('refuses data with no tradable book, in one line', async () => {
    const file = join(dir, 'none.md');
    await writeFile(file, recording().split('\n').filter((line) => !line.includes('NKNUSDT&') && !line.includes('nknusdt')).join('\n'));
    await expect(loadRecordedMarket([file])).rejects.toThrow(/^--data: no book of a tradable instrument in .*none\.md \(skipped: binance ABCXYZ/);
    await expect(loadRecordedMarket([join(dir, 'missing.md')])).rejects.toThrow(`cannot read ${join(dir, 'missing.md')}`);
  });
});

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimulatedVenue, DEFAULT_MARKETS } from '@crossvenue/simulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../args.ts';
import { mdCommand } from './md.ts';

const KRAKEN = fileURLToPath(new URL('../../../../shared/data/venues/cryptofeed/sample_data/KRAKEN.ws.50.0', import.meta.url));

describe.skipIf(!existsSync(KRAKEN))('crossvenue md replay (the recorded Kraken ws v1 session; skipped without ../shared/data/venues)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints one JSON line per Kraken book update, every checksum verified, zero resyncs', async () => {
    const printed = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const summary = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await mdCommand(['replay', KRAKEN, '--json'])).toBe(0);
    const lines = printed.mock.calls.map(([line]) => JSON.parse(String(line)) as { type: string; venue: string; symbol: string; bids: unknown[] });
    expect(lines).toHaveLength(4279);
    expect(lines.every((line) => line.type === 'book' && line.venue === 'kraken' && line.bids.length === 5)).toBe(true);
    expect(new Set(lines.map((line) => line.symbol)).size).toBe(10);
    expect(String(summary.mock.calls.at(-1)![0])).toBe('md replay: 4321 payloads, 4279 book events, 0 resyncs');
  });
});

describe('crossvenue md record', () => {
  afterEach(() => vi.restoreAllMocks());

  it('records a simulated venue (dialect probed) and md replay prints the same book lines', async () => {
    const venue = new SimulatedVenue({ name: 'sim-bybit', dialect: 'bybit', markets: DEFAULT_MARKETS, fees: { maker: '0.001', taker: '0.001' }, accounts: [], flowIntervalMs: 50, seed: 3 });
    const { restUrl } = await venue.start();
    const out = join(mkdtempSync(join(tmpdir(), 'md-record-')), 'sim.jsonl');
    const printed = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const summary = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await mdCommand(['record', '--venue', restUrl, '--symbols', 'BTC/USDT,ETHUSDT', '--out', out, '--seconds', '1', '--json'])).toBe(0);
    } finally {
      await venue.stop();
    }
    const recorded = printed.mock.calls.map(([line]) => String(line));
    expect(recorded.length).toBeGreaterThan(2);
    expect(String(summary.mock.calls.at(-1)![0])).toMatch(new RegExp(`^md record: ${out}: \\d+ frames, 0 REST snapshots, ${recorded.length} book events, 0 resyncs$`));
    expect(JSON.parse(readFileSync(out, 'utf8').split('\n')[0]!)).toMatchObject({ format: 'crossvenue-md/1', venue: 'sim-bybit', dialect: 'bybit', symbols: ['BTCUSDT', 'ETHUSDT'] });

    printed.mockClear();
    expect(await mdCommand(['replay', out, '--json'])).toBe(0);
    const replayed = printed.mock.calls.map(([line]) => JSON.parse(String(line)) as { venue: string });
    // The replay names the venue by its dialect; everything else is the same book, update for update.
    expect(replayed).toEqual(recorded.map((line) => ({ ...(JSON.parse(line) as object), venue: 'bybit' })));
  });

  it.each([
    [['record', '--venue', 'binance', '--symbols', 'BTCUSDT'], "md record needs --out; run 'crossvenue md --help'"],
    [['record', '--venue', 'coinbase', '--symbols', 'BTCUSDT', '--out', '/tmp/x'], '--venue coinbase: expected binance, binanceusdm, okx, bybit, kraken or a simulator URL like http://127.0.0.1:8101'],
    [['record', '--venue', 'binance', '--symbols', 'BTC/USDT:USDT', '--out', '/tmp/x'], '--symbols: BTC/USDT:USDT: the binance adapter serves spot, written BASE/QUOTE'],
    [['rewind'], "md needs replay or record, got \"rewind\"; run 'crossvenue md --help'"],
  ])('refuses %j with one line', async (args, message) => {
    await expect(mdCommand(args)).rejects.toThrow(new UsageError(message));
  });
});

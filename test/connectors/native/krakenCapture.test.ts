import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { describe, expect, it } from 'vitest';
import type { BookEvent } from '@crossvenue/connectors';
import { replayBooks, KrakenProtocol, recordBooks } from '@crossvenue/connectors';
import { corruptedCopy, expectOneChecksumResync, expectReplayedBooks, replayAndFeed, serveCapture } from './captureFixtures.ts';

const KRAKEN = fileURLToPath(new URL('../../../../shared/data/venues/cryptofeed/sample_data/KRAKEN.ws.50.0', import.meta.url));
const SYMBOLS = ['WAVES/EUR', 'XMR/USD', 'KSM/XBT', 'GRT/ETH', 'SC/EUR', 'ETH/CHF', 'OCEAN/XBT', 'OMG/USD', 'XBT/CHF', 'ADA/XBT'];
const logger = createLogger('kraken-native-test', { level: 'silent' });
const DEPTH = 5;
/** The native Kraken adapter, pointed at the local server that plays the recorded ws v1 session back. */
const krakenAt = (wsUrl: string) => new KrakenProtocol({ venue: 'kraken', wsUrl, symbols: SYMBOLS, depth: DEPTH, logger });

describe.skipIf(!existsSync(KRAKEN))('native Kraken adapter over the recorded Kraken ws v1 session', () => {
  it('produces exactly the books the replay produces: every checksum verified, no resync', async () => {
    const { replayed, events } = await replayAndFeed(KRAKEN, DEPTH, krakenAt);
    expectReplayedBooks(events, replayed, 4279);
  });

  it('records the session in our format (dialect kraken), which replays to the same books', async () => {
    const server = await serveCapture(KRAKEN);
    const out = join(mkdtempSync(join(tmpdir(), 'kraken-record-')), 'books.jsonl');
    const live: BookEvent[] = [];
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const recording = recordBooks({ kind: 'kraken', wsUrl: server.wsUrl, symbols: SYMBOLS, depth: DEPTH }, out, until, { logger, onEvent: (event) => live.push(event) });
    try {
      await waitFor('every recorded book update', () => live.length >= 4279, 10_000);
    } finally {
      stop();
      await server.stop();
    }
    expect(await recording).toMatchObject({ resyncs: 0, bookEvents: 4279 });
    expect(readFileSync(out, 'utf8').split('\n')[0]).toContain('"venue":"kraken","dialect":"kraken"');
    const replayed: BookEvent[] = [];
    await replayBooks([out], DEPTH, (event) => replayed.push(event));
    expect(replayed).toEqual(live);
  });

  it('reports one resync on a corrupted checksum and stops publishing that book', async () => {
    const corrupt = corruptedCopy(
      KRAKEN,
      (line) => line.endsWith('"book-1000","XMR/USD"]') && line.includes('"c":"'),
      (line) => line.replace(/"c":"(\d+)"/, (_, c: string) => `"c":"${(Number(c) + 1) % 2 ** 32}"`),
    );
    const { events } = await replayAndFeed(corrupt, DEPTH, krakenAt);
    expectOneChecksumResync(events, 'XMR/USD');
  });
});

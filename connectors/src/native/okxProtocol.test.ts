import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, waitFor } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import type { BookEvent } from '../book/BookEvent.ts';
import { readCapture, type CapturedPayload } from '../replay/captureFile.ts';
import { CaptureServer } from '../replay/CaptureServer.ts';
import { replayBooks } from '../replay/replayBooks.ts';
import { NativeBookFeed } from './NativeBookFeed.ts';
import { OkxProtocol } from './okxProtocol.ts';

const OKX = fileURLToPath(new URL('../../../../shared/data/venues/cryptofeed/sample_data/OKX.ws.1.0', import.meta.url));
const SYMBOLS = ['BTC-USD-220527', 'UNI-USD-SWAP', 'BTC-USDT'];
const logger = createLogger('okx-native-test', { level: 'silent' });
const withoutTimes = (events: BookEvent[]) => events.map(({ receivedAtMs: _, ...rest }) => rest);

/** The native OKX adapter over a local server that plays the recorded OKX v5 session back. */
async function runFeed(capture: string, expectedEvents: number) {
  const payloads: CapturedPayload[] = [];
  for await (const payload of readCapture(capture)) payloads.push(payload);
  const server = new CaptureServer(payloads);
  const { wsUrl } = await server.start();
  const events: BookEvent[] = [];
  const feed = new NativeBookFeed({ protocol: new OkxProtocol({ venue: 'okx', wsUrl, symbols: SYMBOLS, depth: 5, logger }), logger, onEvent: (event) => events.push(event) });
  feed.start();
  try {
    await waitFor(`${expectedEvents} book events`, () => events.length >= expectedEvents, 10_000);
  } finally {
    feed.stop();
    await server.stop();
  }
  return { events };
}

describe.skipIf(!existsSync(OKX))('native OKX adapter over the recorded OKX v5 session', () => {
  it('produces exactly the books the replay produces: every checksum verified, no resync', async () => {
    const replayed: BookEvent[] = [];
    await replayBooks([OKX], 5, (event) => replayed.push(event));
    const { events } = await runFeed(OKX, replayed.length);
    expect(events.filter((e) => e.type === 'resync')).toEqual([]);
    expect(events).toHaveLength(290);
    expect(withoutTimes(events)).toEqual(withoutTimes(replayed));
  });

  it('reports one resync on a corrupted checksum and stops publishing that book', async () => {
    let tampered = false;
    const lines = readFileSync(OKX, 'utf8').split('\n').map((line) => {
      if (tampered || !line.includes('"action":"update"') || !line.includes('"BTC-USDT"')) return line;
      tampered = true;
      return line.replace(/(\["[\d.]+",")([\d.]+)(")/, (_, head: string, size: string, tail: string) => `${head}${size}1${tail}`);
    });
    const corrupt = join(mkdtempSync(join(tmpdir(), 'okx-')), 'OKX.ws.1.0');
    writeFileSync(corrupt, lines.join('\n'));
    const replayed: BookEvent[] = [];
    await replayBooks([corrupt], 5, (event) => replayed.push(event));
    const { events } = await runFeed(corrupt, replayed.length);
    const resyncs = events.filter((e) => e.type === 'resync');
    expect(resyncs).toEqual([expect.objectContaining({ symbol: 'BTC-USDT', reason: expect.stringContaining('checksum mismatch') })]);
    const after = events.slice(events.indexOf(resyncs[0]!) + 1);
    expect(after.some((e) => e.symbol === 'BTC-USDT')).toBe(false);
  });
});

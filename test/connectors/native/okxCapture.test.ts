import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@crossvenue/runtime';
import { describe, it } from 'vitest';
import { corruptedCopy, expectOneChecksumResync, expectReplayedBooks, replayAndFeed } from './captureFixtures.ts';
import { OkxProtocol } from '@crossvenue/connectors';

const OKX = fileURLToPath(new URL('../../../../shared/data/venues/cryptofeed/sample_data/OKX.ws.1.0', import.meta.url));
const SYMBOLS = ['BTC-USD-220527', 'UNI-USD-SWAP', 'BTC-USDT'];
const logger = createLogger('okx-native-test', { level: 'silent' });
const DEPTH = 5;
/** The native OKX adapter, pointed at the local server that plays the recorded OKX v5 session back. */
const okxAt = (wsUrl: string) => new OkxProtocol({ venue: 'okx', wsUrl, symbols: SYMBOLS, depth: DEPTH, logger });

describe.skipIf(!existsSync(OKX))('native OKX adapter over the recorded OKX v5 session', () => {
  it('produces exactly the books the replay produces: every checksum verified, no resync', async () => {
    const { replayed, events } = await replayAndFeed(OKX, DEPTH, okxAt);
    expectReplayedBooks(events, replayed, 290);
  });

  it('reports one resync on a corrupted checksum and stops publishing that book', async () => {
    const corrupt = corruptedCopy(
      OKX,
      (line) => line.includes('"action":"update"') && line.includes('"BTC-USDT"'),
      (line) => line.replace(/(\["[\d.]+",")([\d.]+)(")/, (_, head: string, size: string, tail: string) => `${head}${size}1${tail}`),
    );
    const { events } = await replayAndFeed(corrupt, DEPTH, okxAt);
    expectOneChecksumResync(events, 'BTC-USDT');
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LocalBook } from '../../book/LocalBook.ts';
import { krakenChecksum } from './krakenChecksum.ts';
import { parseKrakenBookMessage } from './krakenBookMessage.ts';

const KRAKEN = fileURLToPath(new URL('../../../../../shared/data/venues/cryptofeed/sample_data/KRAKEN.ws.50.0', import.meta.url));
const level = (price: string, quantity: string) => ({ price, quantity });

describe('krakenChecksum', () => {
  it('concatenates asks then bids, price then volume, points removed and leading zeros stripped', () => {
    const asks = [level('0.05005', '0.00000500'), level('0.05010', '1.20000000')];
    const bids = [level('354.15000000', '5.00000000')];
    expect(krakenChecksum(asks, bids)).toBe(String(crc32('5005500' + '5010120000000' + '35415000000' + '500000000')));
  });

  it('uses only the top 10 levels of each side', () => {
    const asks = Array.from({ length: 12 }, (_, i) => level(`1.${10 + i}`, '1.0'));
    expect(krakenChecksum(asks, [])).toBe(krakenChecksum(asks.slice(0, 10), []));
    expect(krakenChecksum(asks, [])).not.toBe(krakenChecksum(asks.slice(0, 9), []));
  });

  it.skipIf(!existsSync(KRAKEN))('matches the checksum Kraken sent with the first XMR/USD update of the recorded session', () => {
    const frames = readFileSync(KRAKEN, 'utf8')
      .split('\n')
      .filter((line) => line.endsWith('"book-1000","XMR/USD"]'))
      .map((line) => parseKrakenBookMessage(JSON.parse(line.slice(line.indexOf(': ') + 2)))!);
    const [snapshot, update] = frames;
    const book = new LocalBook();
    for (const { data } of [snapshot!, update!]) {
      book.apply('asks', data.asks);
      book.apply('bids', data.bids);
    }
    expect(snapshot!.action).toBe('snapshot');
    expect(update!.data.checksum).toBe('2583817756');
    expect(krakenChecksum(book.asks, book.bids)).toBe('2583817756');
  });
});

import { crc32 } from 'node:zlib';
import type { Level } from '../../book/LocalBook.ts';

const CHECKSUM_LEVELS = 10;

/**
 * Kraken's ws v1 book checksum: for the top 10 asks (lowest first) then the top 10 bids (highest
 * first), price and volume as the venue wrote them with the point removed and leading zeros
 * stripped, all concatenated; CRC32 as an unsigned integer, which Kraken sends as a string.
 * https://docs.kraken.com/api/docs/guides/spot-ws-book-v1
 */
export function krakenChecksum(asks: readonly Level[], bids: readonly Level[]): string {
  let text = '';
  for (const levels of [asks, bids]) {
    for (const { price, quantity } of levels.slice(0, CHECKSUM_LEVELS)) text += digits(price) + digits(quantity);
  }
  return String(crc32(text));
}

function digits(numeral: string): string {
  return numeral.replace('.', '').replace(/^0+/, '');
}

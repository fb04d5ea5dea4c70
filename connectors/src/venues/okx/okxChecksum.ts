import { crc32 } from 'node:zlib';
import type { Level } from '../../book/LocalBook.ts';

const CHECKSUM_LEVELS = 25;

/**
 * OKX's order-book checksum: the top 25 bids and asks interleaved as `bidPx:bidSz:askPx:askSz…`
 * over the venue's original strings, CRC32, read as a signed 32-bit integer.
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel
 */
export function okxChecksum(bids: readonly Level[], asks: readonly Level[]): number {
  const parts: string[] = [];
  for (let i = 0; i < CHECKSUM_LEVELS; i++) {
    const bid = bids[i];
    const ask = asks[i];
    if (bid) parts.push(bid.price, bid.quantity);
    if (ask) parts.push(ask.price, ask.quantity);
  }
  return crc32(parts.join(':')) | 0;
}

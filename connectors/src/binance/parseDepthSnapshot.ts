import { randomUUID } from 'node:crypto';
import type { BookSnapshot, PriceLevel } from '@crossvenue/schemas';
import { DECIMAL_STRING } from '@crossvenue/schemas';
import { VenuePayloadError } from '../VenuePayloadError.ts';
import type { BinanceDepthSnapshot } from './BinanceWire.ts';

export interface SnapshotContext {
  venue: string;
  instrument: string;
  venueSymbol: string;
  receivedAtMs: number;
}

/**
 * Binance depth snapshot → our BookSnapshot. Corrupt data is worse than no data: anything that is
 * not exactly the documented shape is refused with the path of the first bad field.
 */
export function parseDepthSnapshot(payload: unknown, context: SnapshotContext): BookSnapshot {
  const where = `binance depth ${context.venueSymbol}`;
  const depth = payload as Partial<BinanceDepthSnapshot> | null;
  if (depth === null || typeof depth !== 'object') throw new VenuePayloadError(where, 'payload is not an object');
  if (!Number.isSafeInteger(depth.lastUpdateId)) throw new VenuePayloadError(where, 'lastUpdateId is not an integer');
  return {
    eventId: randomUUID(),
    venue: context.venue,
    instrument: context.instrument,
    venueSymbol: context.venueSymbol,
    sequence: depth.lastUpdateId!,
    venueTimeMs: null,
    receivedAtMs: context.receivedAtMs,
    bids: parseLevels(depth.bids, `${where} bids`),
    asks: parseLevels(depth.asks, `${where} asks`),
  };
}

function parseLevels(levels: unknown, where: string): PriceLevel[] {
  if (!Array.isArray(levels)) throw new VenuePayloadError(where, 'is not an array');
  return levels.map((level, i) => {
    const [price, quantity] = Array.isArray(level) ? level : [];
    if (typeof price !== 'string' || !DECIMAL_STRING.test(price)) {
      throw new VenuePayloadError(`${where}[${i}]`, `price ${JSON.stringify(price)} is not a decimal string`);
    }
    if (typeof quantity !== 'string' || !DECIMAL_STRING.test(quantity)) {
      throw new VenuePayloadError(`${where}[${i}]`, `quantity ${JSON.stringify(quantity)} is not a decimal string`);
    }
    return { price, quantity };
  });
}

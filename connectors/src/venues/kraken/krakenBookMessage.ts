import type { WireLevel } from '../../book/LocalBook.ts';
import { VenuePayloadError } from '../../VenuePayloadError.ts';
import type { KrakenBookData } from './KrakenBookSync.ts';

/** One `book-N` channel message of Kraken ws v1, parsed. */
export interface KrakenBookMessage {
  /** The ws v1 pair name: XBT/USD. */
  pair: string;
  action: 'snapshot' | 'update';
  data: KrakenBookData;
}

interface KrakenBookPart {
  as?: unknown;
  bs?: unknown;
  a?: unknown;
  b?: unknown;
  c?: unknown;
}

/**
 * Reads a Kraken ws v1 frame: `[channelID, {as, bs}, "book-N", pair]` is a snapshot,
 * `[channelID, {a}|{b}, ({b},) "book-N", pair]` an update whose last part carries the checksum `c`
 * (asks and bids come as two parts when both changed). Anything else (events, heartbeats, other
 * channels) is not a book message: undefined. A book message that breaks these rules throws.
 * https://docs.kraken.com/api/docs/guides/spot-ws-book-v1
 */
export function parseKrakenBookMessage(payload: unknown): KrakenBookMessage | undefined {
  if (!Array.isArray(payload) || payload.length < 4) return undefined;
  const [channelName, pair] = payload.slice(-2) as unknown[];
  if (typeof channelName !== 'string' || !channelName.startsWith('book-')) return undefined;
  const where = `kraken ${channelName} ${String(pair)}`;
  const subscribedDepth = Number(channelName.slice('book-'.length));
  if (typeof pair !== 'string' || !Number.isInteger(subscribedDepth) || subscribedDepth <= 0) throw new VenuePayloadError(where, 'needs a channel name book-N and a pair');
  const parts = payload.slice(1, -2) as unknown[];
  if (!parts.every((part) => typeof part === 'object' && part !== null && !Array.isArray(part))) throw new VenuePayloadError(where, 'book parts must be objects');
  const data: KrakenBookData = { asks: [], bids: [], venueTimeMs: null, subscribedDepth };
  let snapshot = false;
  for (const part of parts as KrakenBookPart[]) {
    if (part.as !== undefined || part.bs !== undefined) snapshot = true;
    data.asks.push(...levels(part.as ?? part.a, where));
    data.bids.push(...levels(part.bs ?? part.b, where));
    if (part.c !== undefined) {
      if (typeof part.c !== 'string') throw new VenuePayloadError(where, 'the checksum c must be a string');
      data.checksum = part.c;
    }
  }
  data.venueTimeMs = latestTimestampMs([...data.asks, ...data.bids]);
  return { pair, action: snapshot ? 'snapshot' : 'update', data };
}

/** `[price, volume, timestamp]` or, for a republished level, `[price, volume, timestamp, "r"]`. */
function levels(value: unknown, where: string): WireLevel[] {
  if (value === undefined) return [];
  const valid = Array.isArray(value) && value.every((level) => Array.isArray(level) && level.length >= 3 && level.slice(0, 3).every((field) => typeof field === 'string'));
  if (!valid) throw new VenuePayloadError(where, 'levels must be [price, volume, timestamp] strings');
  return value as WireLevel[];
}

/** The newest level timestamp (seconds with microseconds) in ms: when the venue last changed the book. */
function latestTimestampMs(entries: readonly WireLevel[]): number | null {
  let latest: number | null = null;
  for (const entry of entries) {
    const ms = Math.round(Number(entry[2]) * 1000);
    if (Number.isFinite(ms) && (latest === null || ms > latest)) latest = ms;
  }
  return latest;
}

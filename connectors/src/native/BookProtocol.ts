import type { BookEvent } from '../book/BookEvent.ts';

/** What a protocol may do on the feed's connection. */
export interface FeedContext {
  /** Sends a frame (JSON-encoded) on the current connection; dropped when it is not open. */
  send(frame: unknown): void;
  /** A REST GET of a JSON document, recorded like the frames when the feed records. */
  fetchJson(url: string): Promise<{ payload: unknown; receivedAtMs: number }>;
  /** Book events produced outside a frame (a REST snapshot arrived). */
  emit(events: BookEvent[]): void;
}

/**
 * One venue's market-data dialect: which socket to open, what to subscribe, how frames feed the
 * venue's book synchronizer, and how to get a fresh snapshot after a resync. The feed owns the
 * socket, the reconnects and the delivery of events.
 */
export interface BookProtocol {
  readonly url: string;
  readonly heartbeat?: { intervalMs: number; frame: string };
  /** A connection opened: subscribe, and fetch snapshots where the venue serves them over REST. */
  opened(context: FeedContext): void;
  /** A received frame (parsed JSON, or the text when it is not JSON). */
  frame(payload: unknown, receivedAtMs: number, context: FeedContext): BookEvent[];
  /** A book of `symbol` reported a resync: ask the venue for a fresh snapshot. */
  resync(symbol: string, context: FeedContext): void;
  /** The connection dropped: every synced book becomes a resync (one each); snapshots follow on reopen. */
  dropped(reason: string, at: number): BookEvent[];
}

/** What every venue's book synchronizer offers the feed. */
export interface ResettableBook {
  readonly waitingForSnapshot: boolean;
  reset(reason: string, receivedAtMs: number): BookEvent;
}

/** One resync per book that was in sync: a book already waiting for a snapshot was reported before. */
export function resetSynced(books: Iterable<ResettableBook>, reason: string, at: number): BookEvent[] {
  return [...books].filter((book) => !book.waitingForSnapshot).map((book) => book.reset(reason, at));
}

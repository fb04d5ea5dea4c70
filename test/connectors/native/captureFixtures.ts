import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createLogger } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { expect } from 'vitest';
import type { BookEvent, BookProtocol } from '@crossvenue/connectors';
import { readCapture, type CapturedPayload, replayBooks, NativeBookFeed } from '@crossvenue/connectors';
import { CaptureServer } from '@crossvenue/simulator';

/** Test support: a native adapter run over a recorded venue session, compared with its replay. */

const logger = createLogger('captured-session-test', { level: 'silent' });

/** Book events without the arrival time, which no two runs share. */
const withoutTimes = (events: BookEvent[]) => events.map(({ receivedAtMs: _, ...rest }) => rest);

/** A recorded session served on loopback as the venue would (see CaptureServer). */
export async function serveCapture(capture: string): Promise<{ wsUrl: string; stop: () => Promise<void> }> {
  const payloads: CapturedPayload[] = [];
  for await (const payload of readCapture(capture)) payloads.push(payload);
  const server = new CaptureServer(payloads);
  const { wsUrl } = await server.start();
  return { wsUrl, stop: () => server.stop() };
}

/**
 * The books the replay of a capture produces at `depth`, and those the native adapter made by
 * `protocolAt` produces over the same capture served as the venue (as many as the replay's).
 */
export async function replayAndFeed(capture: string, depth: number, protocolAt: (wsUrl: string) => BookProtocol): Promise<{ replayed: BookEvent[]; events: BookEvent[] }> {
  const replayed: BookEvent[] = [];
  await replayBooks([capture], depth, (event) => replayed.push(event));
  const server = await serveCapture(capture);
  const events: BookEvent[] = [];
  const feed = new NativeBookFeed({ protocol: protocolAt(server.wsUrl), logger, onEvent: (event) => events.push(event) });
  feed.start();
  try {
    await waitFor(`${replayed.length} book events`, () => events.length >= replayed.length, 10_000);
  } finally {
    feed.stop();
    await server.stop();
  }
  return { replayed, events };
}

/** A copy of the capture (same file name, in a temporary folder) in which `corrupt` changed the first line it matches. */
export function corruptedCopy(capture: string, matches: (line: string) => boolean, corrupt: (line: string) => string): string {
  let corrupted = false;
  const lines = readFileSync(capture, 'utf8').split('\n').map((line) => {
    if (corrupted || !matches(line)) return line;
    corrupted = true;
    return corrupt(line);
  });
  const copy = join(mkdtempSync(join(tmpdir(), 'corrupted-capture-')), basename(capture));
  writeFileSync(copy, lines.join('\n'));
  return copy;
}

/** The same `count` books as the replay, every checksum verified: no resync. */
export function expectReplayedBooks(events: BookEvent[], replayed: BookEvent[], count: number): void {
  expect(events.filter((e) => e.type === 'resync')).toEqual([]);
  expect(events).toHaveLength(count);
  expect(withoutTimes(events)).toEqual(withoutTimes(replayed));
}

/** Exactly one resync, a checksum mismatch of `symbol`, after which that book is no longer published. */
export function expectOneChecksumResync(events: BookEvent[], symbol: string): void {
  const resyncs = events.filter((e) => e.type === 'resync');
  expect(resyncs).toEqual([expect.objectContaining({ symbol, reason: expect.stringContaining('checksum mismatch') })]);
  const after = events.slice(events.indexOf(resyncs[0]!) + 1);
  expect(after.some((e) => e.symbol === symbol)).toBe(false);
}

import type { Logger } from '@crossvenue/runtime';
import type { BookEvent } from '../book/BookEvent.ts';
import { RecordingWriter } from '../replay/recordingFile.ts';
import { NativeBookFeed } from './NativeBookFeed.ts';
import { bookProtocolFor, type NativeVenueSettings } from '../venues/nativeVenues.ts';

export interface RecordSummary {
  frames: number;
  snapshots: number;
  bookEvents: number;
  resyncs: number;
}

/**
 * Records a venue's market data in the project's format (replay/recordingFile.ts) through the
 * native feed: every received frame and REST snapshot, until `until` resolves. Book events are
 * handed to `onEvent` as they happen, the same ones `md replay` computes from the file.
 */
export async function recordBooks(
  settings: NativeVenueSettings,
  out: string,
  until: Promise<void>,
  options: { logger: Logger; onEvent?: (event: BookEvent) => void; clock?: () => number },
): Promise<RecordSummary> {
  const clock = options.clock ?? Date.now;
  const writer = new RecordingWriter(out, { venue: settings.name ?? settings.kind, dialect: settings.kind, symbols: [...settings.symbols], startedAtMs: clock() });
  const summary: RecordSummary = { frames: 0, snapshots: 0, bookEvents: 0, resyncs: 0 };
  const feed = new NativeBookFeed({
    protocol: bookProtocolFor(settings, options.logger),
    logger: options.logger,
    clock,
    onPayload: (payload) => {
      writer.write(payload);
      if (payload.kind === 'ws') summary.frames++;
      else summary.snapshots++;
    },
    onEvent: (event) => {
      if (event.type === 'book') summary.bookEvents++;
      else summary.resyncs++;
      options.onEvent?.(event);
    },
  });
  feed.start();
  await until;
  feed.stop();
  await writer.close();
  return summary;
}

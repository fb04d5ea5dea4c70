import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CapturedPayload } from './CapturedPayload.ts';
import { RECORDING_FORMAT, type RecordingHeader } from './recordingFile.ts';

export type { CapturedPayload };

export class CaptureFormatError extends Error {
  override readonly name = 'CaptureFormatError';
}

/**
 * Reads a capture: the project's own recording (recordingFile.ts, recognised by its first line) or
 * cryptofeed's raw-data format (see ../shared/data/venues/MANIFEST.md):
 * a WebSocket file starts `URL <-> connect_ts`, then received frames are `ts: json` and sent ones
 * `URL <- ts: json`; REST files are `URL -> ts: json` lines; `configuration: …` lines are skipped.
 */
export async function* readCapture(path: string): AsyncGenerator<CapturedPayload> {
  let wsUrl: string | undefined;
  let lineNumber = 0;
  let recording: RecordingHeader | undefined;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === '' || line.startsWith('configuration:')) continue;
    const origin = `${path}:${lineNumber}`;
    if (recording || (lineNumber === 1 && line.startsWith(`{"format":"${RECORDING_FORMAT}"`))) {
      if (recording) yield recordedPayload(line, origin, recording.dialect);
      else recording = parseJson(line, origin) as RecordingHeader;
      continue;
    }
    const connect = /^(\S+) <-> [\d.]+$/.exec(line);
    if (connect) {
      wsUrl = connect[1]!;
      continue;
    }
    if (/^\S+ <- [\d.]+: /.test(line)) continue;
    const rest = /^(\S+) -> ([\d.]+): (.*)$/s.exec(line);
    const received = rest ? undefined : /^([\d.]+): (.*)$/s.exec(line);
    if (!rest && !received) throw new CaptureFormatError(`${origin}: not a cryptofeed capture line`);
    if (received && !wsUrl) throw new CaptureFormatError(`${origin}: a WebSocket frame before the "URL <-> ts" line`);
    const [timestamp, json] = rest ? [rest[2]!, rest[3]!] : [received![1]!, received![2]!];
    const payload = parseJson(json, origin);
    yield { kind: rest ? 'rest' : 'ws', url: rest ? rest[1]! : wsUrl!, receivedAtMs: Math.round(Number(timestamp) * 1000), payload, origin };
  }
}

function parseJson(text: string, origin: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CaptureFormatError(`${origin}: the payload is not JSON`);
  }
}

function recordedPayload(line: string, origin: string, dialect: string): CapturedPayload {
  const entry = parseJson(line, origin) as Partial<CapturedPayload> | null;
  const valid = entry !== null && (entry.kind === 'ws' || entry.kind === 'rest') && typeof entry.url === 'string' && typeof entry.receivedAtMs === 'number' && 'payload' in entry;
  if (!valid) throw new CaptureFormatError(`${origin}: a recording line needs kind (ws or rest), url, receivedAtMs and payload`);
  return { kind: entry.kind!, url: entry.url!, receivedAtMs: entry.receivedAtMs!, payload: entry.payload, origin, dialect };
}

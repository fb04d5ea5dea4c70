import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** One recorded payload: a REST response or a received WebSocket frame, with when it arrived. */
export interface CapturedPayload {
  kind: 'rest' | 'ws';
  /** The REST request URL, or the WebSocket connection URL. */
  url: string;
  receivedAtMs: number;
  payload: unknown;
  /** Where it came from, for error messages: `file:line`. */
  origin: string;
}

export class CaptureFormatError extends Error {
  override readonly name = 'CaptureFormatError';
}

/**
 * Reads a capture in cryptofeed's raw-data format (see ../shared/data/venues/MANIFEST.md):
 * a WebSocket file starts `URL <-> connect_ts`, then received frames are `ts: json` and sent ones
 * `URL <- ts: json`; REST files are `URL -> ts: json` lines; `configuration: …` lines are skipped.
 */
export async function* readCapture(path: string): AsyncGenerator<CapturedPayload> {
  let wsUrl: string | undefined;
  let lineNumber = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === '' || line.startsWith('configuration:')) continue;
    const origin = `${path}:${lineNumber}`;
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
    let payload: unknown;
    try {
      payload = JSON.parse(json);
    } catch {
      throw new CaptureFormatError(`${origin}: the payload is not JSON`);
    }
    yield { kind: rest ? 'rest' : 'ws', url: rest ? rest[1]! : wsUrl!, receivedAtMs: Math.round(Number(timestamp) * 1000), payload, origin };
  }
}

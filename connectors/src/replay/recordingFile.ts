import { createWriteStream, type WriteStream } from 'node:fs';
import type { CapturedPayload } from './CapturedPayload.ts';

/**
 * The project's own market-data recording (`md record` writes it, `md replay` reads it), one JSON
 * document per line:
 *   line 1   {"format":"crossvenue-md/1","venue":"binance","dialect":"binance","symbols":["BTCUSDT"],"startedAtMs":…}
 *   then     {"kind":"ws","url":"wss://…/stream?streams=…","receivedAtMs":…,"payload":<the frame: JSON, or its text>}
 *            {"kind":"rest","url":"https://…/api/v3/depth?symbol=…","receivedAtMs":…,"payload":<the JSON answer>}
 * in the order the connector handled them. `dialect` names the book rules to replay with
 * (binance, binanceusdm, okx, bybit), since a simulator's loopback URL does not tell.
 */
export const RECORDING_FORMAT = 'crossvenue-md/1';

export interface RecordingHeader {
  format: typeof RECORDING_FORMAT;
  venue: string;
  dialect: string;
  symbols: string[];
  startedAtMs: number;
}

export type RecordedPayload = Omit<CapturedPayload, 'origin' | 'dialect'>;

export class RecordingWriter {
  private readonly out: WriteStream;
  private failure: Error | undefined;

  constructor(path: string, header: Omit<RecordingHeader, 'format'>) {
    this.out = createWriteStream(path, { flags: 'w' });
    this.out.on('error', (error) => (this.failure = error));
    this.line({ format: RECORDING_FORMAT, ...header });
  }

  write(payload: RecordedPayload): void {
    this.line({ kind: payload.kind, url: payload.url, receivedAtMs: payload.receivedAtMs, payload: payload.payload });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.out.end(resolve));
    if (this.failure) throw this.failure;
  }

  private line(value: unknown): void {
    this.out.write(`${JSON.stringify(value)}\n`);
  }
}

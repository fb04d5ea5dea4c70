import type { Logger } from '@crossvenue/runtime';
import type { BookEvent } from '../book/BookEvent.ts';
import type { RecordedPayload } from '../replay/recordingFile.ts';
import type { Backoff } from '@crossvenue/runtime';
import { BookSocket } from './BookSocket.ts';
import { httpGetJson } from './httpGetJson.ts';
import type { BookProtocol, FeedContext } from './BookProtocol.ts';

export interface NativeBookFeedOptions {
  protocol: BookProtocol;
  logger: Logger;
  /** Every book update and resync, in order. */
  onEvent: (event: BookEvent) => void;
  /** A frame the venue's protocol could not trust: its text and the one-line reason. */
  onBadFrame?: (text: string, reason: string) => void;
  /** Every received frame and REST snapshot, for recording. */
  onPayload?: (payload: RecordedPayload) => void;
  backoff?: Backoff;
  clock?: () => number;
}

/**
 * A native (`ws`, not ccxt) market-data feed for one venue connection: keeps the socket up, feeds
 * frames to the venue's protocol, and after every resync asks the protocol for a fresh snapshot,
 * so that what it reports is either the venue's book or a resync, never a guess.
 */
export class NativeBookFeed {
  private readonly socket: BookSocket;
  private send: (frame: string) => void = () => {};
  private readonly clock: () => number;
  private readonly context: FeedContext;

  constructor(private readonly options: NativeBookFeedOptions) {
    this.clock = options.clock ?? Date.now;
    const { protocol, logger } = options;
    this.context = {
      send: (frame) => this.send(JSON.stringify(frame)),
      fetchJson: (url) => this.fetchJson(url),
      emit: (events) => this.deliver(events),
    };
    this.socket = new BookSocket(
      { url: protocol.url, logger, heartbeat: protocol.heartbeat, backoff: options.backoff, clock: this.clock },
      {
        opened: (send) => {
          this.send = send;
          logger.info({ url: protocol.url }, 'market-data socket open');
          protocol.opened(this.context);
        },
        frame: (text, receivedAtMs) => this.onFrame(text, receivedAtMs),
        dropped: (reason, at) => {
          this.send = () => {};
          logger.warn({ url: protocol.url }, `market-data socket: ${reason}; reconnecting`);
          // No snapshot requests here: there is no connection; `opened` resubscribes everything.
          for (const event of protocol.dropped(reason, at)) options.onEvent(event);
        },
      },
    );
  }

  start(): void {
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
  }

  private onFrame(text: string, receivedAtMs: number): void {
    let payload: unknown = text;
    try {
      payload = JSON.parse(text);
    } catch {
      // Heartbeat answers ("pong") are plain text; protocols ignore what they do not know.
    }
    this.options.onPayload?.({ kind: 'ws', url: this.options.protocol.url, receivedAtMs, payload });
    let events: BookEvent[];
    try {
      events = this.options.protocol.frame(payload, receivedAtMs, this.context);
    } catch (error) {
      // A malformed venue frame is handed on with its text (never lost) and skipped here; the
      // sequence check catches any update it hid.
      const reason = (error as Error).message;
      this.options.logger.warn({ url: this.options.protocol.url, frame: text.slice(0, 500) }, `bad market-data frame: ${reason}`);
      this.options.onBadFrame?.(text, reason);
      return;
    }
    this.deliver(events);
  }

  private deliver(events: BookEvent[]): void {
    for (const event of events) {
      this.options.onEvent(event);
      if (event.type === 'resync') this.options.protocol.resync(event.symbol, this.context);
    }
  }

  private async fetchJson(url: string): Promise<{ payload: unknown; receivedAtMs: number }> {
    const response = await httpGetJson(url, this.clock);
    this.options.onPayload?.({ kind: 'rest', url, ...response });
    return response;
  }
}

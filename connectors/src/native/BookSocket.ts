import { backoffMs, type Backoff, type Logger } from '@crossvenue/runtime';
import WebSocket from 'ws';

export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 10_000 };

export interface BookSocketHandlers {
  opened(send: (frame: string) => void): void;
  frame(text: string, receivedAtMs: number): void;
  /** The connection is gone (dropped, refused or closed by the venue); a reconnect follows. */
  dropped(reason: string, at: number): void;
}

export interface BookSocketOptions {
  url: string;
  logger: Logger;
  backoff?: Backoff;
  /** Venues close idle public connections: OKX after 30 s, Bybit after 10 min without a ping. */
  heartbeat?: { intervalMs: number; frame: string };
  clock?: () => number;
}

/**
 * One market-data WebSocket that stays connected: after a drop it reconnects with exponential
 * backoff (reset once a connection opens) until `stop()`.
 */
export class BookSocket {
  private socket: WebSocket | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;
  private readonly clock: () => number;

  constructor(
    private readonly options: BookSocketOptions,
    private readonly handlers: BookSocketHandlers,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeatTimer);
    this.socket?.terminate();
    this.socket = undefined;
  }

  private connect(): void {
    const socket = new WebSocket(this.options.url);
    this.socket = socket;
    const send = (frame: string) => socket.readyState === WebSocket.OPEN && socket.send(frame);
    socket.on('open', () => {
      this.failures = 0;
      const { heartbeat } = this.options;
      if (heartbeat) this.heartbeatTimer = setInterval(() => send(heartbeat.frame), heartbeat.intervalMs);
      this.handlers.opened(send);
    });
    socket.on('message', (data: Buffer) => this.handlers.frame(data.toString('utf8'), this.clock()));
    // 'close' follows every 'error', so the reconnect is decided there only.
    socket.on('error', (error) => this.options.logger.warn({ url: this.options.url, err: error }, `market-data socket error: ${error.message}`));
    socket.on('close', (code) => {
      clearInterval(this.heartbeatTimer);
      if (this.socket !== socket || this.stopped) return;
      this.handlers.dropped(`connection lost (close code ${code})`, this.clock());
      const waitMs = backoffMs(this.options.backoff ?? DEFAULT_BACKOFF, this.failures++);
      this.retryTimer = setTimeout(() => this.connect(), waitMs);
    });
  }
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** One recorded REST response or WebSocket frame, as a capture reader yields it. */
export interface ServedPayload {
  kind: 'rest' | 'ws';
  /** The REST request URL, or the WebSocket connection URL. */
  url: string;
  payload: unknown;
}

export interface CaptureEndpoints {
  wsUrl: string;
  restUrl: string;
}

/**
 * Serves recorded traffic on loopback as the venue would, so that live connector code (ours or
 * ccxt.pro) can run over it: a REST GET is answered with the recorded response for the same path
 * (and `symbol` / `instId` parameter), and every WebSocket connection is sent the recorded frames
 * in order, as fast as the socket takes them. A connection subscribed by its URL
 * (Binance `/stream?streams=`) is served at once; any other once it has sent its first
 * request (acknowledged Binance-style with `{result: null, id}`), as venues only stream what was
 * subscribed. Combined-stream frames (`{stream, data}`) are unwrapped for every other connection.
 */
export interface CaptureServerOptions {
  /**
   * Hold a connection's frames until this many REST requests were answered after it opened: the
   * snapshots are then in place before the diffs, so a benchmark times diffs, not buffering.
   */
  holdFramesForRestRequests?: number;
}

export class CaptureServer {
  /** performance.now() when the latest connection was sent its first frame. */
  streamStartedAt: number | undefined;
  private readonly server: Server;
  private restAnswered = 0;
  private held: (() => void) | undefined;
  private readonly sockets = new WebSocketServer({ noServer: true });
  private readonly rest = new Map<string, unknown>();
  /** Encoded once: serving is then only socket writes. */
  private readonly frames: { combined: string[]; raw: string[] };

  constructor(
    payloads: readonly ServedPayload[],
    private readonly options: CaptureServerOptions = {},
  ) {
    for (const payload of payloads) if (payload.kind === 'rest') this.rest.set(restKey(new URL(payload.url)), payload.payload);
    const frames = payloads.filter((payload) => payload.kind === 'ws').map((payload) => payload.payload);
    this.frames = { combined: frames.map((frame) => JSON.stringify(frame)), raw: frames.map((frame) => JSON.stringify(unwrap(frame))) };
    this.server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://capture');
      const body = this.rest.get(restKey(url));
      response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body ?? { code: -1121, msg: `nothing recorded for ${url.pathname}${url.search}` }), () => {
        if (++this.restAnswered === this.options.holdFramesForRestRequests) this.held?.();
      });
    });
    this.server.on('upgrade', (request, socket, head) => this.sockets.handleUpgrade(request, socket, head, (ws) => this.serve(ws, request.url ?? '/')));
  }

  async start(): Promise<CaptureEndpoints> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return { wsUrl: `ws://127.0.0.1:${port}`, restUrl: `http://127.0.0.1:${port}` };
  }

  async stop(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: WebSocket, path: string): void {
    const combined = path.startsWith('/stream?');
    this.restAnswered = 0;
    const stream = () => {
      this.streamStartedAt = performance.now();
      for (const frame of combined ? this.frames.combined : this.frames.raw) socket.send(frame);
    };
    const hold = this.options.holdFramesForRestRequests;
    const send = () => {
      if (hold === undefined || this.restAnswered >= hold) stream();
      else this.held = stream;
    };
    if (combined) return send();
    let served = false;
    socket.on('message', (data: Buffer) => {
      const request = parse(data.toString('utf8'));
      if (request?.id !== undefined) socket.send(JSON.stringify({ result: null, id: request.id }));
      if (served) return;
      served = true;
      send();
    });
  }
}

/** Path plus the instrument parameter: what tells one recorded snapshot from another. */
function restKey(url: URL): string {
  return `${url.pathname} ${url.searchParams.get('symbol') ?? url.searchParams.get('instId') ?? ''}`;
}

function unwrap(frame: unknown): unknown {
  const data = (frame as { stream?: unknown; data?: unknown } | null)?.data;
  return data !== undefined && (frame as { stream?: unknown }).stream !== undefined ? data : frame;
}

function parse(text: string): { id?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

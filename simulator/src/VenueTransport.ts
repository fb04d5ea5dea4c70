import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@crossvenue/runtime';
import { WebSocketServer } from 'ws';
import { parseFaultChanges, type Faults } from './Faults.ts';
import { StreamSocket } from './StreamSocket.ts';

export interface VenueRequest {
  method: string;
  path: string;
  /** The raw query string without '?', as signed by the client. */
  query: string;
  body: string;
  headers: IncomingHttpHeaders;
}

export interface VenueResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** An order placement's ack: the ack-timeout fault may swallow it (the order stands). */
  orderAck?: boolean;
}

/** What a wire dialect (Binance, Bybit, OKX) plugs into the transport. */
export interface Dialect {
  handle(request: VenueRequest): VenueResponse;
  /** The venue's own rate-limit rejection. */
  rateLimited(): VenueResponse;
  /** The venue's answer when handling failed unexpectedly (a simulator bug, never a crash). */
  internalError(): VenueResponse;
  /** A WebSocket connected on `path`; false refuses it. */
  connect(socket: StreamSocket, path: string, query: URLSearchParams): boolean;
}

const logger = createLogger('simulated-venue');
const MAX_BODY_BYTES = 1 << 20;
/** How long a 'hang' ack timeout keeps the connection before resetting it. */
const HANG_MS = 60_000;

/**
 * HTTP and WebSocket on one loopback port for one simulated venue, with the fault injection that
 * belongs to the transport: latency, rate limits, swallowed order acks, dropped sockets, outage.
 * The admin API lives under `/__admin/` on the same port:
 *   GET  /__admin/faults               the current faults
 *   POST /__admin/faults   {…}         merge faults (see FaultSettings; null switches one off)
 *   DELETE /__admin/faults             clear all faults
 *   POST /__admin/drop-connections     drop every WebSocket now
 *   POST /__admin/outage {"durationMs"} close the listener (connection refused), reopen after
 */
export class VenueTransport {
  private server: Server | undefined;
  private readonly sockets = new WebSocketServer({ noServer: true });
  private port = 0;
  private recoveryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dialect: Dialect,
    readonly faults: Faults,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get isUp(): boolean {
    return this.server !== undefined;
  }

  /** Listens on `port` (0 = any free port; a restart after an outage reuses the same one). */
  async start(port = this.port): Promise<void> {
    const server = createServer((request, response) => void this.serve(request, response));
    server.on('upgrade', (request, socket, head) => {
      const url = new URL(request.url ?? '/', 'http://venue');
      this.sockets.handleUpgrade(request, socket, head, (ws) => {
        const stream = new StreamSocket(ws, this.faults);
        if (!this.dialect.connect(stream, url.pathname, url.searchParams)) ws.close(1008, 'unknown stream path');
      });
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Full outage: the listener closes and every connection drops; clients get connection refused. */
  async outage(durationMs?: number): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const client of this.sockets.clients) client.terminate();
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    if (durationMs !== undefined) this.recoveryTimer = setTimeout(() => void this.recover(), durationMs);
  }

  async recover(): Promise<void> {
    clearTimeout(this.recoveryTimer);
    if (!this.server) await this.start(this.port);
  }

  dropConnections(): void {
    for (const client of this.sockets.clients) client.terminate();
  }

  async stop(): Promise<void> {
    clearTimeout(this.recoveryTimer);
    await this.outage();
    this.sockets.close();
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://venue');
    let body: string;
    try {
      body = await readBody(request);
    } catch {
      return reply(response, { status: 413, body: { error: 'body too large' } });
    }
    if (url.pathname.startsWith('/__admin/')) return reply(response, await this.admin(request.method ?? 'GET', url.pathname, body));
    const venueRequest = { method: request.method ?? 'GET', path: url.pathname, query: url.search.slice(1), body, headers: request.headers };
    const answer = this.faults.takeRateLimit() ? this.dialect.rateLimited() : this.handle(venueRequest);
    if (answer.orderAck && this.faults.takeOrderAckTimeout()) {
      if (this.faults.current.orderAckTimeoutMode === 'hang') setTimeout(() => response.destroy(), HANG_MS).unref();
      else response.destroy();
      return;
    }
    const delay = this.faults.delayMs();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    reply(response, answer);
  }

  private handle(request: VenueRequest): VenueResponse {
    try {
      return this.dialect.handle(request);
    } catch (error) {
      logger.error({ err: error, path: request.path }, 'simulated venue failed to handle a request');
      return this.dialect.internalError();
    }
  }

  private async admin(method: string, path: string, body: string): Promise<VenueResponse> {
    try {
      if (path === '/__admin/faults' && method === 'GET') return { status: 200, body: this.faults.current };
      if (path === '/__admin/faults' && method === 'DELETE') {
        this.faults.clear();
        return { status: 200, body: this.faults.current };
      }
      if (path === '/__admin/faults' && method === 'POST') {
        this.faults.set(parseFaultChanges(JSON.parse(body || '{}')));
        return { status: 200, body: this.faults.current };
      }
      if (path === '/__admin/drop-connections' && method === 'POST') {
        this.dropConnections();
        return { status: 200, body: {} };
      }
      if (path === '/__admin/outage' && method === 'POST') {
        const { durationMs } = JSON.parse(body || '{}') as { durationMs?: unknown };
        if (!Number.isInteger(durationMs) || (durationMs as number) <= 0) throw new Error('outage.durationMs: must be a positive integer');
        // Answer first, then go down: the caller learns the outage was accepted.
        setImmediate(() => void this.outage(durationMs as number));
        return { status: 200, body: { recoversInMs: durationMs } };
      }
      return { status: 404, body: { error: `no admin route ${method} ${path}` } };
    } catch (error) {
      return { status: 400, body: { error: (error as Error).message } };
    }
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error('too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function reply(response: ServerResponse, answer: VenueResponse): void {
  if (response.destroyed) return;
  response.writeHead(answer.status, { 'content-type': 'application/json;charset=UTF-8', ...answer.headers }).end(JSON.stringify(answer.body));
}

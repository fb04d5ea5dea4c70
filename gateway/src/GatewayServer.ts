import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BookBoard } from './BookBoard.ts';
import { DASHBOARD_HTML } from './dashboard.ts';

/**
 * The HTTP face of Crossvenue on loopback. Today: health, the live books and the dashboard page;
 * the execution API grows here.
 */
export class GatewayServer {
  private server: Server | undefined;

  constructor(private readonly books: BookBoard) {}

  async start(port: number, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((request, response) => this.route(request, response));
    await new Promise<void>((resolve, reject) => this.server!.once('error', reject).listen(port, host, resolve));
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private route(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', 'http://gateway').pathname;
    if (request.method !== 'GET') return json(response, 405, { error: `${request.method} is not allowed on ${path}` });
    switch (path) {
      case '/':
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(DASHBOARD_HTML);
        return;
      case '/healthz':
        return json(response, 200, { status: 'ok' });
      case '/market/books':
        return json(response, 200, { books: this.books.snapshot() });
      default:
        return json(response, 404, { error: `no route ${path}` });
    }
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

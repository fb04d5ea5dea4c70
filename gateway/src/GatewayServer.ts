import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BusUnavailableError, type Logger } from '@crossvenue/runtime';
import { WebSocketServer } from 'ws';
import { allows, type ApiKeys, type ApiPrincipal } from './auth/ApiKeys.ts';
import { busUnavailable, HttpError, methodNotAllowed } from './http/HttpError.ts';
import { readJsonObject } from './http/readJson.ts';
import { staticFiles } from './http/staticFiles.ts';
import { vendorFiles } from './http/vendorFiles.ts';
import { IdempotencyKeys } from './IdempotencyKeys.ts';
import type { LiveState } from './LiveState.ts';
import type { Route } from './routes.ts';

export const OPENAPI_DOCUMENT = readFileSync(new URL('../openapi.json', import.meta.url), 'utf8');

/** The dashboard: plain HTML, CSS and JavaScript modules from src/dashboard/, `/` being its index.html, and its vendored uPlot. */
const DASHBOARD_FILES = new Map([...staticFiles(new URL('./dashboard/', import.meta.url), '/dashboard/'), ...vendorFiles()]);

/**
 * The HTTP and WebSocket face of Crossvenue on loopback: the unified execution API (see
 * openapi.json, served at /openapi.json), live state over `/stream`, and the dashboard at `/`
 * (src/dashboard/; its own files need no key, every call it makes does).
 * Every API call needs an API key (`X-API-Key` or `Authorization: Bearer`); the key is never logged.
 */
export class GatewayServer {
  private server: Server | undefined;
  private readonly sockets = new WebSocketServer({ noServer: true });

  constructor(
    private readonly routes: Route[],
    private readonly keys: ApiKeys,
    private readonly state: LiveState,
    private readonly logger: Logger,
  ) {}

  async start(port: number, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((request, response) => void this.serve(request, response));
    this.server.on('upgrade', (request, socket, head) => {
      const principal = this.principalOf(request);
      if (new URL(request.url ?? '/', 'http://gateway').pathname !== '/stream' || !principal) {
        socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        return;
      }
      this.sockets.handleUpgrade(request, socket, head, (client) => {
        const unsubscribe = this.state.onChange((change) => client.send(JSON.stringify(change)));
        client.on('close', unsubscribe);
      });
    });
    await new Promise<void>((resolve, reject) => this.server!.once('error', reject).listen(port, host, resolve));
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://gateway');
    let principal: ApiPrincipal | undefined;
    let status = 500;
    try {
      const page = request.method === 'GET' ? DASHBOARD_FILES.get(url.pathname === '/' ? '/dashboard/index.html' : url.pathname) : undefined;
      if (page) return send(response, (status = 200), page.body, page.contentType);
      if (request.method === 'GET' && url.pathname === '/openapi.json') return send(response, (status = 200), OPENAPI_DOCUMENT, 'application/json');
      if (request.method === 'GET' && url.pathname === '/healthz') return send(response, (status = 200), '{"status":"ok"}', 'application/json');

      const match = this.match(request.method ?? 'GET', url.pathname);
      principal = this.principalOf(request);
      if (!principal) throw new HttpError(401, 'unauthenticated', 'a valid API key is required (X-API-Key header)');
      if (!allows(principal, match.route.role)) throw new HttpError(403, 'forbidden', `this needs the ${match.route.role} role; the key has ${principal.role}`);
      let body: Promise<Record<string, unknown>> | undefined;
      const result = await match.route.handle({
        principal,
        params: match.params,
        query: url.searchParams,
        body: () => (body ??= readJsonObject(request)),
        idempotencyKey: IdempotencyKeys.validate(header(request, 'idempotency-key')),
      });
      if (result.page) send(response, (status = result.status), result.page.text, result.page.contentType, result.page.headers);
      else send(response, (status = result.status), JSON.stringify(result.body), 'application/json');
    } catch (error) {
      const failure = error instanceof HttpError ? error : error instanceof BusUnavailableError ? busUnavailable(error) : new HttpError(500, 'internal', 'the gateway failed to handle this request');
      if (!(error instanceof HttpError)) this.logger.error({ err: error, path: url.pathname }, 'request failed');
      send(response, (status = failure.status), JSON.stringify(failure.body()), 'application/json', failure.headers);
    } finally {
      this.logger.info({ method: request.method, path: url.pathname, status, user: principal?.name }, `${request.method} ${url.pathname} ${status}`);
    }
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchPath(route.path, path);
      if (!params) continue;
      if (route.method === method) return { route, params };
      allowed.push(route.method);
    }
    if (allowed.length > 0) throw methodNotAllowed(method, path, allowed);
    throw new HttpError(404, 'not_found', `no route ${path}`);
  }

  private principalOf(request: IncomingMessage): ApiPrincipal | undefined {
    const bearer = header(request, 'authorization')?.replace(/^Bearer\s+/i, '');
    // Browsers cannot set headers on a WebSocket: the stream also takes the key as ?key=.
    const fromQuery = new URL(request.url ?? '/', 'http://gateway').searchParams.get('key') ?? undefined;
    return this.keys.authenticate(header(request, 'x-api-key') ?? bearer ?? fromQuery);
  }
}

/** `{name}` segments match one path segment each. */
function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const expected = pattern.split('/');
  const actual = path.split('/');
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < expected.length; i++) {
    const segment = expected[i]!;
    if (segment.startsWith('{')) params[segment.slice(1, -1)] = decodeURIComponent(actual[i]!);
    else if (segment !== actual[i]) return undefined;
  }
  return params;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(response: ServerResponse, status: number, body: string | Buffer, contentType: string, headers: Readonly<Record<string, string>> = {}): void {
  response.writeHead(status, { ...headers, 'content-type': contentType }).end(body);
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Alert } from '@crossvenue/schemas';

/** Tests only: a real HTTP server on loopback standing in for Slack, Discord and Telegram, and alerts to send. */

export interface Received {
  path: string;
  body: Record<string, unknown>;
}

export interface WebhookReceiver {
  /** http://127.0.0.1:<port> */
  url: string;
  received: Received[];
  /** Answers the next requests to paths starting with `prefix` with these statuses, in turn (then 200). */
  failNext(prefix: string, ...statuses: number[]): void;
  close(): Promise<void>;
}

export async function webhookReceiver(): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const failures: Array<{ prefix: string; status: number }> = [];
  const server: Server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      const failure = failures.findIndex(({ prefix }) => path.startsWith(prefix));
      if (failure >= 0) {
        const { status } = failures.splice(failure, 1)[0]!;
        response.writeHead(status, status === 429 ? { 'retry-after': '2' } : {}).end(`failing with ${status}`);
        return;
      }
      received.push({ path, body: JSON.parse(text) as Record<string, unknown> });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failNext: (prefix, ...statuses) => failures.push(...statuses.map((status) => ({ prefix, status }))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The text a received message carries, whatever channel it came in on. */
export function receivedText({ body }: Received): string {
  return String(body.text ?? body.content);
}

/** An alert as the producers write them; `overrides` set what a test cares about. */
export function alertOf(overrides: Partial<Alert> = {}): Alert {
  return {
    eventId: 'recon:snap-1:POSITION_MISMATCH:BTC/USDT:alert',
    severity: 'CRITICAL',
    code: 'POSITION_MISMATCH',
    component: 'reconciler',
    venue: 'binance',
    account: 'main',
    subject: 'BTC/USDT',
    message: 'binance/main position mismatch: BTC/USDT; synthetic fill of 0.015 at 64012.5',
    raisedAtMs: Date.UTC(2024, 4, 13, 16, 4, 16),
    ...overrides,
  };
}

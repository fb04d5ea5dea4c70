import { connect } from 'node:net';
import type { Credentials } from '@crossvenue/runtime/process';

export interface HttpAnswer {
  status: number;
  body: string;
}

/**
 * GET with a hard timeout. `auth`, or credentials written into the URL (https://user:pass@host),
 * become a Basic Authorization header, because fetch refuses URLs that carry them.
 */
export async function httpGet(url: string, timeoutMs: number, auth?: Credentials): Promise<HttpAnswer> {
  const target = new URL(url);
  const headers: Record<string, string> = {};
  const user = auth?.username ?? decodeURIComponent(target.username);
  const password = auth?.password ?? decodeURIComponent(target.password);
  if (user || password) headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  target.username = '';
  target.password = '';
  const response = await fetch(target, { headers, signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, body: await response.text() };
}

/** The URL with its password replaced, fit for logs and status output. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = 'redacted';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function isPortInUse(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    const settle = (inUse: boolean) => {
      socket.destroy();
      resolvePromise(inUse);
    };
    socket.once('connect', () => settle(true));
    socket.once('timeout', () => settle(false));
    socket.once('error', () => settle(false));
  });
}

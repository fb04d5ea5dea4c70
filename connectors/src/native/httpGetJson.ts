import http from 'node:http';
import https from 'node:https';

const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/**
 * GET a JSON document over a kept-alive connection, with when its last byte arrived. node:http
 * rather than the global fetch (undici): snapshots arrive while the diff stream is already
 * flowing, and fetch's stream plumbing made each one several times slower to hand over.
 */
export function httpGetJson(url: string, clock: () => number, timeoutMs = 10_000): Promise<{ payload: unknown; receivedAtMs: number }> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const agent = agents[target.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new Error(`GET ${url}: not an http(s) URL`));
  return new Promise((resolve, reject) => {
    const request = client.get(target, { agent, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const receivedAtMs = clock();
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== 200) return reject(new Error(`GET ${url}: HTTP ${response.statusCode} ${text.slice(0, 200)}`));
        try {
          resolve({ payload: JSON.parse(text), receivedAtMs });
        } catch {
          reject(new Error(`GET ${url}: the answer is not JSON: ${text.slice(0, 200)}`));
        }
      });
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url}: no answer in ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

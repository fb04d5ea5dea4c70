import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createLogger, kafkaMessageBus } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { TOPICS, type Fill } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, freePorts, output } from './support/workerProcesses.ts';

const BACKLOG = 400;

/**
 * `crossvenue worker positions` against the real Kafka: /readyz answers 503 with a reason until
 * the worker has read the backlog exec.fills held when it started, then 200. What it had read by
 * then is checked against a reader of the same topic that caught up before the worker started.
 */
describe('a worker process is ready once it has caught up with a backlog', { timeout: 240_000 }, () => {
  const id = randomUUID().slice(0, 8);
  const messages = kafkaMessageBus(`readiness-test-${id}`, createLogger('readiness-test', { level: 'warn' }));
  let worker: ChildProcess | undefined;

  afterAll(async () => {
    worker?.kill('SIGTERM');
    await messages.bus.close();
  });

  it('answers /readyz 503 with the reason while behind, then 200 with everything before it read', async () => {
    const example = EXAMPLES.find((e) => e.schema === TOPICS.fills.schema)!.value as Fill;
    await messages.prepare([TOPICS.fills]);
    const fills = Array.from({ length: BACKLOG }, (_, i): Fill => ({ ...example, eventId: randomUUID(), account: `acct-${id}`, portfolio: `pf-${id}`, venueTradeId: `${id}-${i}` }));
    for (let i = 0; i < fills.length; i += 100) await messages.publish(TOPICS.fills, fills.slice(i, i + 100));

    // How many fills the topic holds now, by a reader that reaches its end before the worker starts.
    let before = 0;
    const reader = await messages.subscribe({ groupId: `readiness-reader-${id}`, topics: [TOPICS.fills], fromBeginning: true, handle: async (batch) => void (before += batch.length) });
    await waitFor('the reader caught up', () => reader.catchUp().caughtUp, 120_000);
    await reader.stop();
    expect(before).toBeGreaterThanOrEqual(BACKLOG);

    const port = await freePorts();
    worker = spawn(process.execPath, [BIN, 'worker', 'positions'], { env: { ...process.env, METRICS_PORT: String(port), LOG_LEVEL: 'warn' } });
    const out = output(worker);
    const unready: unknown[] = [];
    await waitFor(
      'ready',
      async () => {
        if (worker!.exitCode !== null) throw new Error(`the worker exited ${worker!.exitCode}: ${out.stderr()}`);
        const response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
        if (response?.status === 503) unready.push(await response.json());
        return response?.status === 200;
      },
      180_000,
    );

    const exposition = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const read = Number(/^crossvenue_records_in_total\{[^}]*topic="exec\.fills"[^}]*\} (\d+)$/m.exec(exposition)?.[1] ?? 0);
    expect(read).toBeGreaterThanOrEqual(before);
    expect(exposition).toMatch(/^crossvenue_ready\{worker="positions"\} 1$/m);
    for (const answer of unready) expect(answer).toEqual({ ready: false, reason: expect.any(String) });
  });
});

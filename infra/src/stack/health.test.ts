import { describe, expect, it } from 'vitest';
import { StackError } from './errors.ts';
import { checkSafely, waitUntilHealthy, type Health } from './health.ts';

const unhealthy: Health = { healthy: false, detail: 'connect ECONNREFUSED 127.0.0.1:19092' };

describe('waitUntilHealthy', () => {
  it('returns the first healthy answer', async () => {
    const answers: Health[] = [unhealthy, unhealthy, { healthy: true, detail: '1 broker' }];
    const health = await waitUntilHealthy(async () => answers.shift() ?? unhealthy, { service: 'kafka', timeoutMs: 5_000, intervalMs: 1 });
    expect(health).toEqual({ healthy: true, detail: '1 broker' });
    expect(answers).toHaveLength(0);
  });

  it('times out with a one-line error naming the service, the limit, the last check and the log', async () => {
    const waiting = waitUntilHealthy(async () => unhealthy, { service: 'kafka', log: '/s/logs/kafka.log', timeoutMs: 50, intervalMs: 5 });
    await expect(waiting).rejects.toThrow(StackError);
    await expect(waiting).rejects.toThrow(
      'kafka: did not become healthy within 50ms; last check: connect ECONNREFUSED 127.0.0.1:19092 (see /s/logs/kafka.log)',
    );
  });

  it('stops waiting as soon as the server it started has exited', async () => {
    const waiting = waitUntilHealthy(async () => unhealthy, {
      service: 'clickhouse',
      log: '/s/logs/clickhouse.log',
      timeoutMs: 60_000,
      isRunning: () => false,
    });
    await expect(waiting).rejects.toThrow(/^clickhouse: exited during start-up; last check: .* \(see \/s\/logs\/clickhouse\.log\)$/);
  });
});

describe('checkSafely', () => {
  it('turns a thrown error into an unhealthy answer, preferring the underlying cause', async () => {
    const failing = async (): Promise<Health> => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:18123') });
    };
    expect(await checkSafely(failing)).toEqual({ healthy: false, detail: 'connect ECONNREFUSED 127.0.0.1:18123' });
  });

  it('turns a check that never answers into an unhealthy answer', async () => {
    const hanging = () => new Promise<Health>(() => undefined);
    expect(await checkSafely(hanging, 20)).toEqual({ healthy: false, detail: 'no answer within 20ms' });
  });
});

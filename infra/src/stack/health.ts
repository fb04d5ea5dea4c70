import { StackError } from './errors.ts';
import type { ServiceName } from './serviceName.ts';
import { formatDuration, sleep } from './time.ts';

export interface Health {
  healthy: boolean;
  /** What the check saw: "cluster q1w2, 1 broker" or "connect ECONNREFUSED 127.0.0.1:19092". */
  detail: string;
}

export type HealthCheck = () => Promise<Health>;

/** One check never takes longer than this, whatever the client library does. */
export const CHECK_TIMEOUT_MS = 5_000;

/** Runs one check; one that throws or hangs counts as unhealthy, with the reason as detail. */
export async function checkSafely(check: HealthCheck, timeoutMs = CHECK_TIMEOUT_MS): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Health>((resolvePromise) => {
    timer = setTimeout(() => resolvePromise({ healthy: false, detail: `no answer within ${formatDuration(timeoutMs)}` }), timeoutMs);
  });
  try {
    return await Promise.race([check().catch((error: unknown) => ({ healthy: false, detail: describeError(error) })), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export interface WaitOptions {
  service: ServiceName;
  /** Named in the error, so that the reader knows where to look. */
  log?: string;
  timeoutMs: number;
  intervalMs?: number;
  /** For a server we started: when it has exited there is no point in waiting any longer. */
  isRunning?: () => boolean;
}

/** Polls `check` until it reports healthy; throws a StackError on timeout or when the server exits. */
export async function waitUntilHealthy(check: HealthCheck, options: WaitOptions): Promise<Health> {
  const { service, log, timeoutMs, intervalMs = 500, isRunning } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = await checkSafely(check, Math.max(1, Math.min(CHECK_TIMEOUT_MS, deadline - Date.now())));
    if (health.healthy) return health;
    if (isRunning && !isRunning()) throw new StackError(service, `exited during start-up; last check: ${health.detail}`, log);
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new StackError(service, `did not become healthy within ${formatDuration(timeoutMs)}; last check: ${health.detail}`, log);
    }
    await sleep(Math.min(intervalMs, remaining));
  }
}

/** The most specific reason an error carries: fetch hides "ECONNREFUSED ..." in its cause. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  return cause instanceof Error && cause.message ? cause.message : error.message;
}

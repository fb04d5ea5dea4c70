/** One probe never takes longer than this: a worker too busy to answer counts as not answering. */
const PROBE_TIMEOUT_MS = 3_000;

export interface Probe {
  /** `/healthz` answered 200. */
  healthy: boolean;
  /** `/readyz` answered 200. */
  ready: boolean;
  /** Why not ready: the worker's own reason, or what went wrong asking. */
  reason?: string;
  /** The sum of `crossvenue_consumer_lag` over its partitions; null when it has none (it consumes nothing) or did not answer. */
  lag: number | null;
}

async function get(url: string): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    const cause = (error as Error).cause;
    return { error: cause instanceof Error ? cause.message : (error as Error).message };
  }
}

/** Whether the worker on `port` answers `/readyz` with 200, and if not, why. */
export async function probeReady(port: number): Promise<{ ready: boolean; reason?: string }> {
  const answer = await get(`http://127.0.0.1:${port}/readyz`);
  if ('error' in answer) return { ready: false, reason: answer.error };
  if (answer.status === 200) return { ready: true };
  let reason = `/readyz answered ${answer.status}`;
  try {
    reason = (JSON.parse(answer.body) as { reason?: string }).reason ?? reason;
  } catch {
    // not the JSON a worker sends: the status says enough
  }
  return { ready: false, reason };
}

/** Health, readiness and consumer lag of the worker whose metrics server is on `port`. */
export async function probe(port: number): Promise<Probe> {
  const [health, readiness, metrics] = await Promise.all([get(`http://127.0.0.1:${port}/healthz`), probeReady(port), get(`http://127.0.0.1:${port}/metrics`)]);
  return {
    healthy: 'status' in health && health.status === 200,
    ...readiness,
    lag: 'status' in metrics && metrics.status === 200 ? consumerLag(metrics.body) : null,
  };
}

const LAG_SAMPLE = /^crossvenue_consumer_lag(?:\{[^}]*\})?\s+(\S+)/;

/** The sum of every `crossvenue_consumer_lag` sample in a Prometheus text exposition; null when there is none. */
export function consumerLag(exposition: string): number | null {
  let sum: number | null = null;
  for (const line of exposition.split('\n')) {
    const value = Number(LAG_SAMPLE.exec(line)?.[1]);
    if (Number.isFinite(value)) sum = (sum ?? 0) + value;
  }
  return sum;
}

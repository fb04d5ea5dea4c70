import type { WorkerMetrics } from '../metrics.ts';

const SAMPLE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/**
 * The value of the first sample of `name` whose labels include `labels` (in any order), as the
 * worker's /metrics would show it now; undefined when there is none.
 */
export async function metricValue(metrics: WorkerMetrics, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  for (const line of (await metrics.registry.metrics()).split('\n')) {
    const [, sample, labelText = '', value] = SAMPLE.exec(line) ?? [];
    if (sample !== name) continue;
    const found = new Map([...labelText.matchAll(LABEL)].map(([, key, text]) => [key, text]));
    if (Object.entries(labels).every(([key, text]) => found.get(key) === text)) return Number(value);
  }
  return undefined;
}

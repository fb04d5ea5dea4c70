import { readFileSync } from 'node:fs';
import { WorkerMetrics } from '@crossvenue/runtime';
import { describe, expect, it } from 'vitest';

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
}

const dashboard = JSON.parse(readFileSync(new URL('../infra/grafana/crossvenue.json', import.meta.url), 'utf8')) as { uid: string; panels: Panel[] };
const expressions = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));

/** The series names a registry exposes: a histogram's _bucket, _sum and _count, every other metric under its name. */
async function exposedNames(metrics: WorkerMetrics): Promise<Set<string>> {
  const names = new Set<string>();
  for (const { name, type } of await metrics.registry.getMetricsAsJSON()) {
    if (String(type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    else names.add(name);
  }
  return names;
}

describe('the Grafana dashboard (infra/grafana/crossvenue.json)', () => {
  it('queries only metric names a worker registers', async () => {
    const exposed = await exposedNames(new WorkerMetrics('dashboard-test'));
    expect(expressions.length).toBeGreaterThan(0);
    for (const { panel, expr } of expressions) {
      const queried = expr.match(/\bcrossvenue_\w+/g) ?? [];
      expect(queried, `${panel}: ${expr}`).not.toEqual([]);
      for (const name of queried) expect(exposed.has(name), `${panel} queries ${name}, which no worker registers`).toBe(true);
    }
  });

  it('shows every pipeline and domain metric a worker registers', async () => {
    const queried = new Set(expressions.flatMap(({ expr }) => expr.match(/\bcrossvenue_\w+/g) ?? []).map((name) => name.replace(/_(bucket|sum|count)$/, '')));
    const own = (await new WorkerMetrics('dashboard-test').registry.getMetricsAsJSON()).map(({ name }) => name).filter((name) => !name.startsWith('crossvenue_process_'));
    expect(own.filter((name) => !queried.has(name))).toEqual([]);
  });
});

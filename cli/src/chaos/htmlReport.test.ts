import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from './ChaosRun.ts';
import { chaosHtmlReport } from './htmlReport.ts';

function result(scenario: string, overrides: Partial<ScenarioResult>): ScenarioResult {
  return {
    scenario,
    fault: `the fault of ${scenario}`,
    seed: 7,
    faultAfterSteps: [3],
    findings: { intentsSent: 10, intentsAccounted: 10, venueOrders: 12, ordersByAccount: { 'sim-binance-a|demo': 7, 'sim-binance-a|desk-2': 5 } as Record<string, number> } as ScenarioResult['findings'],
    deadLetters: [],
    ordersInFlight: [],
    recoveryMs: 4_000,
    convergence: [],
    broken: [],
    ...overrides,
  };
}

describe('chaosHtmlReport', () => {
  const html = chaosHtmlReport(
    [
      result('kill-router', {
        convergence: [
          { afterMs: 0, drift: { 'sim-binance-a': '0.02', 'sim-bybit': '0' }, broken: 1, ordersInFlight: 2 },
          { afterMs: 2_000, drift: { 'sim-binance-a': '0', 'sim-bybit': '0' }, broken: 0, ordersInFlight: 0 },
        ],
      }),
      result('venue-outage', { recoveryMs: null, broken: ['1 venue trades missing from exec.fills'], convergence: [{ afterMs: 0, drift: { 'sim-binance-a': '-0.01' }, broken: 1, ordersInFlight: 0 }] }),
    ],
    'Chaos <test>',
  );

  it('charts each scenario\'s drift per venue after its fault, one line per venue', () => {
    const router = /<svg id="drift-kill-router"[^]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect([...router.matchAll(/data-series="([^"]+)"/g)].map(([, name]) => name)).toEqual(['sim-binance-a', 'sim-bybit']);
    expect(router).toContain('+2.0 s');
    // One check only: a dot, not a line.
    expect(/<svg id="drift-venue-outage"[^]*?<\/svg>/.exec(html)?.[0]).toMatch(/<circle class="series" data-series="sim-binance-a"/);
  });

  it('draws the recovery of each scenario as a bar, and one that never converged as "none"', () => {
    const recovery = /<svg id="recovery"[^]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(recovery).toMatch(/<rect class="bar" data-name="kill-router"/);
    expect(recovery).toContain('4 s');
    expect(recovery).toMatch(/<text class="bar" data-name="venue-outage"[^>]*>none</);
  });

  it('lists each verdict with its orders per account, broken invariants spelled out, and escapes what it prints', () => {
    expect(html).toContain('<td>kill-router</td><td>the fault of kill-router</td><td>10/10</td><td>12</td><td>sim-binance-a|demo: 7, sim-binance-a|desk-2: 5</td><td>4.0</td><td>ok</td>');
    expect(html).toContain('<td>not converged</td><td>1 venue trades missing from exec.fills</td>');
    expect(html).toContain('<title>Chaos &#60;test&#62;</title>');
  });
});

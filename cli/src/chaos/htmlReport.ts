import { barChart, lineChart, reportPage, tableRow } from '../formats/svgChart.ts';
import type { ScenarioResult } from './ChaosRun.ts';

/**
 * The fault matrix as one self-contained HTML file (`crossvenue chaos --html <file>`): a table of
 * every scenario's verdict (with its venue orders per account), the recovery time of each as bars, and per scenario the position drift
 * of each venue (what the venue traded less what the published position moved, BTC) over the
 * seconds after its fault was over, until the state converged.
 */
export function chaosHtmlReport(results: readonly ScenarioResult[], title: string): string {
  const verdicts = results
    .map(({ scenario, fault, findings, recoveryMs, broken }) =>
      tableRow([scenario, fault, `${findings.intentsAccounted}/${findings.intentsSent}`, findings.venueOrders, Object.entries(findings.ordersByAccount).map(([account, count]) => `${account}: ${count}`).join(', '), recoveryMs === null ? 'not converged' : (recoveryMs / 1000).toFixed(1), broken.length === 0 ? 'ok' : broken.join('; ')]),
    )
    .join('');
  const recovery = barChart(
    'Recovery: from the end of the fault until every invariant held',
    'recovery',
    results.map(({ scenario, recoveryMs }) => ({ name: scenario, value: recoveryMs === null ? null : recoveryMs / 1000 })),
    's',
  );
  const drifts = results
    .map(({ scenario, convergence }) =>
      lineChart(
        `${scenario}: position drift per venue (BTC), seconds after the fault`,
        `drift-${scenario}`,
        convergence.map(({ afterMs, drift }) => ({ atMs: afterMs, values: drift })),
        'elapsed',
      ),
    )
    .join('\n');
  return reportPage(
    title,
    `<table>${tableRow(['scenario', 'fault', 'intents accounted', 'venue orders', 'per account', 'recovery (s)', 'result'], 'th')}${verdicts}</table>
${recovery}
${drifts}`,
  );
}

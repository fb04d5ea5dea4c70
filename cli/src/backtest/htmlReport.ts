import type { BacktestResult } from './BacktestRun.ts';
import type { Sample } from './BacktestRecorder.ts';
import { lineChart, reportPage, tableRow } from '../formats/svgChart.ts';

/**
 * The backtest as one self-contained HTML file: the summary tables and two inline SVG charts
 * (PnL over time per quote currency, position over time per instrument). No script, no network:
 * it opens offline and prints as it shows.
 */
export function htmlReport(result: BacktestResult, title: string): string {
  const series = (values: (sample: Sample) => Record<string, string>) => result.samples.map((sample) => ({ atMs: sample.atMs, values: values(sample) }));
  const pnl = lineChart('PnL over time (marked to mid, after fees)', 'pnl', series((sample) => sample.pnl));
  const positions = lineChart('Position over time', 'positions', series((sample) => sample.positions));
  const venueRows = result.venues
    .map((row) => tableRow([row.venue, row.instrument, row.fills, row.volume, row.notional, `${row.fees} ${row.feeCurrency}`, row.averageSlippageBps ?? '–', row.averageAckLatencyMs ?? '–']))
    .join('');
  const counts = Object.entries(result.counts).map(([name, value]) => tableRow([name, value])).join('');
  const finals = Object.entries(result.final.pnl).map(([currency, value]) => tableRow([currency, value, result.final.exposure[currency] ?? '0'])).join('');
  const { speed } = result;
  return reportPage(
    title,
    `<p>${speed.bookEvents} book events in ${speed.wallSeconds} s (${speed.eventsPerSecond} events/s, ${speed.timesRealTime}× real time)</p>
${pnl}
${positions}
<h2>Venues</h2>
<table><tr><th>venue</th><th>instrument</th><th>fills</th><th>volume</th><th>notional</th><th>fees</th><th>avg slippage (bps)</th><th>avg ack (ms)</th></tr>${venueRows}</table>
<h2>Final</h2>
<table><tr><th>currency</th><th>PnL</th><th>exposure</th></tr>${finals}</table>
<h2>Counts</h2>
<table>${counts}</table>`,
  );
}

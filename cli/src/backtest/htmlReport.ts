import type { BacktestResult } from './BacktestRun.ts';
import type { Sample } from './BacktestRecorder.ts';

const WIDTH = 760;
const HEIGHT = 220;
const PAD = { left: 70, right: 16, top: 14, bottom: 28 };
const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

/**
 * The backtest as one self-contained HTML file: the summary tables and two inline SVG charts
 * (PnL over time per quote currency, position over time per instrument). No script, no network:
 * it opens offline and prints as it shows.
 */
export function htmlReport(result: BacktestResult, title: string): string {
  const pnl = chart('PnL over time (marked to mid, after fees)', 'pnl', result.samples, (sample) => sample.pnl);
  const positions = chart('Position over time', 'positions', result.samples, (sample) => sample.positions);
  const venueRows = result.venues
    .map((row) => cells([row.venue, row.instrument, row.fills, row.volume, row.notional, `${row.fees} ${row.feeCurrency}`, row.averageSlippageBps ?? '–', row.averageAckLatencyMs ?? '–']))
    .join('');
  const counts = Object.entries(result.counts).map(([name, value]) => cells([name, value])).join('');
  const finals = Object.entries(result.final.pnl).map(([currency, value]) => cells([currency, value, result.final.exposure[currency] ?? '0'])).join('');
  const { speed } = result;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#111}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right}td:first-child,th:first-child{text-align:left}
svg{background:#fafafa;border:1px solid #ddd}.legend span{margin-right:14px}
</style></head><body>
<h1>${escape(title)}</h1>
<p>${speed.bookEvents} book events in ${speed.wallSeconds} s (${speed.eventsPerSecond} events/s, ${speed.timesRealTime}× real time)</p>
${pnl}
${positions}
<h2>Venues</h2>
<table><tr><th>venue</th><th>instrument</th><th>fills</th><th>volume</th><th>notional</th><th>fees</th><th>avg slippage (bps)</th><th>avg ack (ms)</th></tr>${venueRows}</table>
<h2>Final</h2>
<table><tr><th>currency</th><th>PnL</th><th>exposure</th></tr>${finals}</table>
<h2>Counts</h2>
<table>${counts}</table>
</body></html>
`;
}

/** One line chart: a polyline per series (a key of the samples' records), time on x. */
function chart(title: string, id: string, samples: readonly Sample[], values: (sample: Sample) => Record<string, string>): string {
  const names = [...new Set(samples.flatMap((sample) => Object.keys(values(sample))))].sort();
  if (samples.length === 0 || names.length === 0) return `<h2>${escape(title)}</h2><p>No fills: nothing to chart.</p>`;
  const xs = samples.map((sample) => sample.atMs);
  const ys = samples.flatMap((sample) => Object.values(values(sample)).map(Number));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(0, ...ys), Math.max(0, ...ys)];
  const x = (t: number) => PAD.left + (x1 === x0 ? 0 : ((t - x0) / (x1 - x0)) * (WIDTH - PAD.left - PAD.right));
  const y = (v: number) => HEIGHT - PAD.bottom - (y1 === y0 ? 0 : ((v - y0) / (y1 - y0)) * (HEIGHT - PAD.top - PAD.bottom));
  const lines = names.map((name, i) => {
    // Steps: a value holds until the next sample changes it.
    const points = samples
      .filter((sample) => values(sample)[name] !== undefined)
      .flatMap((sample, j, all) => {
        const [px, py] = [x(sample.atMs).toFixed(1), y(Number(values(sample)[name])).toFixed(1)];
        return j === 0 ? [`${px},${py}`] : [`${px},${y(Number(values(all[j - 1]!)[name])).toFixed(1)}`, `${px},${py}`];
      });
    const colour = COLOURS[i % COLOURS.length];
    if (points.length === 1) {
      const [cx, cy] = points[0]!.split(',');
      return `<circle class="series" data-series="${escape(name)}" cx="${cx}" cy="${cy}" r="3" fill="${colour}"/>`;
    }
    return `<polyline class="series" data-series="${escape(name)}" fill="none" stroke="${colour}" stroke-width="1.5" points="${points.join(' ')}"/>`;
  });
  const legend = names.map((name, i) => `<span style="color:${COLOURS[i % COLOURS.length]}">■ ${escape(name)}</span>`).join('');
  const axis = `<line x1="${PAD.left}" y1="${y(0).toFixed(1)}" x2="${WIDTH - PAD.right}" y2="${y(0).toFixed(1)}" stroke="#999" stroke-dasharray="3,3"/>
<text x="${PAD.left - 6}" y="${PAD.top + 10}" text-anchor="end" font-size="11">${label(y1)}</text>
<text x="${PAD.left - 6}" y="${HEIGHT - PAD.bottom}" text-anchor="end" font-size="11">${label(y0)}</text>
<text x="${PAD.left}" y="${HEIGHT - 8}" font-size="11">${new Date(x0).toISOString()}</text>
<text x="${WIDTH - PAD.right}" y="${HEIGHT - 8}" text-anchor="end" font-size="11">+${((x1 - x0) / 1000).toFixed(1)} s</text>`;
  return `<h2>${escape(title)}</h2>
<svg id="${id}" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escape(title)}">${axis}${lines.join('')}</svg>
<div class="legend">${legend}</div>`;
}

function label(value: number): string {
  return Number(value.toPrecision(6)).toString();
}

function cells(values: ReadonlyArray<string | number>): string {
  return `<tr>${values.map((value) => `<td>${escape(String(value))}</td>`).join('')}</tr>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Self-contained HTML pieces for the reports a command writes to a file (`backtest --report`,
 * `chaos --html`): inline SVG charts and table rows, no script and no network, so a report opens
 * offline and prints as it shows.
 */

const WIDTH = 760;
const HEIGHT = 220;
const PAD = { left: 70, right: 16, top: 14, bottom: 28 };
const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

/** One point in time: the value of each series it has (decimal strings or numbers). */
export interface ChartSample {
  atMs: number;
  values: Readonly<Record<string, string | number>>;
}

/** How the x axis reads: from a wall-clock start (ISO time), or in seconds after a moment (`+0 s`). */
export type TimeAxis = 'clock' | 'elapsed';

/** The style every report shares. */
const REPORT_STYLE = `body{font:14px system-ui,sans-serif;margin:24px;color:#111}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right}td:first-child,th:first-child{text-align:left}
svg{background:#fafafa;border:1px solid #ddd}.legend span{margin-right:14px}`;

/** A whole report page: its title, the shared style, and `body`. */
export function reportPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
${REPORT_STYLE}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}

/** A line chart: a step line per series, time on x. Values are drawn as numbers; the report's tables keep them exact. */
export function lineChart(title: string, id: string, samples: readonly ChartSample[], axis: TimeAxis = 'clock'): string {
  const names = [...new Set(samples.flatMap((sample) => Object.keys(sample.values)))].sort();
  if (samples.length === 0 || names.length === 0) return `<h2>${escapeHtml(title)}</h2><p>Nothing to chart.</p>`;
  const xs = samples.map((sample) => sample.atMs);
  const ys = samples.flatMap((sample) => Object.values(sample.values).map(Number));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(0, ...ys), Math.max(0, ...ys)];
  const x = (t: number) => PAD.left + (x1 === x0 ? 0 : ((t - x0) / (x1 - x0)) * (WIDTH - PAD.left - PAD.right));
  const y = (v: number) => HEIGHT - PAD.bottom - (y1 === y0 ? 0 : ((v - y0) / (y1 - y0)) * (HEIGHT - PAD.top - PAD.bottom));
  const lines = names.map((name, i) => {
    // Steps: a value holds until the next sample changes it.
    const points = samples
      .filter((sample) => sample.values[name] !== undefined)
      .flatMap((sample, j, all) => {
        const [px, py] = [x(sample.atMs).toFixed(1), y(Number(sample.values[name])).toFixed(1)];
        return j === 0 ? [`${px},${py}`] : [`${px},${y(Number(all[j - 1]!.values[name])).toFixed(1)}`, `${px},${py}`];
      });
    const colour = COLOURS[i % COLOURS.length];
    if (points.length === 1) {
      const [cx, cy] = points[0]!.split(',');
      return `<circle class="series" data-series="${escapeHtml(name)}" cx="${cx}" cy="${cy}" r="3" fill="${colour}"/>`;
    }
    return `<polyline class="series" data-series="${escapeHtml(name)}" fill="none" stroke="${colour}" stroke-width="1.5" points="${points.join(' ')}"/>`;
  });
  const legend = names.map((name, i) => `<span style="color:${COLOURS[i % COLOURS.length]}">■ ${escapeHtml(name)}</span>`).join('');
  const start = axis === 'clock' ? new Date(x0).toISOString() : `+${(x0 / 1000).toFixed(1)} s`;
  const end = axis === 'clock' ? `+${((x1 - x0) / 1000).toFixed(1)} s` : `+${(x1 / 1000).toFixed(1)} s`;
  const frame = `<line x1="${PAD.left}" y1="${y(0).toFixed(1)}" x2="${WIDTH - PAD.right}" y2="${y(0).toFixed(1)}" stroke="#999" stroke-dasharray="3,3"/>
<text x="${PAD.left - 6}" y="${PAD.top + 10}" text-anchor="end" font-size="11">${label(y1)}</text>
<text x="${PAD.left - 6}" y="${HEIGHT - PAD.bottom}" text-anchor="end" font-size="11">${label(y0)}</text>
<text x="${PAD.left}" y="${HEIGHT - 8}" font-size="11">${start}</text>
<text x="${WIDTH - PAD.right}" y="${HEIGHT - 8}" text-anchor="end" font-size="11">${end}</text>`;
  return `<h2>${escapeHtml(title)}</h2>
<svg id="${id}" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(title)}">${frame}${lines.join('')}</svg>
<div class="legend">${legend}</div>`;
}

/** A horizontal bar per row (e.g. recovery seconds per scenario); a null value is drawn as a red "none" mark. */
export function barChart(title: string, id: string, rows: ReadonlyArray<{ name: string; value: number | null }>, unit: string): string {
  if (rows.length === 0) return `<h2>${escapeHtml(title)}</h2><p>Nothing to chart.</p>`;
  const rowHeight = 22;
  const height = PAD.top + PAD.bottom + rows.length * rowHeight;
  const left = 160;
  const max = Math.max(1, ...rows.map((row) => row.value ?? 0));
  const bars = rows.map((row, i) => {
    const top = PAD.top + i * rowHeight;
    const name = `<text x="${left - 6}" y="${top + 15}" text-anchor="end" font-size="11">${escapeHtml(row.name)}</text>`;
    if (row.value === null) return `${name}<text class="bar" data-name="${escapeHtml(row.name)}" x="${left}" y="${top + 15}" font-size="11" fill="#dc2626">none</text>`;
    const width = ((WIDTH - left - PAD.right - 60) * row.value) / max;
    return `${name}<rect class="bar" data-name="${escapeHtml(row.name)}" x="${left}" y="${top + 3}" width="${width.toFixed(1)}" height="${rowHeight - 6}" fill="${COLOURS[0]}"/><text x="${(left + width + 4).toFixed(1)}" y="${top + 15}" font-size="11">${label(row.value)} ${escapeHtml(unit)}</text>`;
  });
  return `<h2>${escapeHtml(title)}</h2>
<svg id="${id}" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(title)}">${bars.join('')}</svg>`;
}

/** A table row of cells, escaped. */
export function tableRow(values: ReadonlyArray<string | number>, cell: 'td' | 'th' = 'td'): string {
  return `<tr>${values.map((value) => `<${cell}>${escapeHtml(String(value))}</${cell}>`).join('')}</tr>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function label(value: number): string {
  return Number(value.toPrecision(6)).toString();
}

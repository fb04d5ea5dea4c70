// uPlot (served by the gateway from the `uplot` package, see gateway/src/http/vendorFiles.ts) with
// the dashboard's look. Decimal strings become numbers here and only here: for drawing, never for
// an amount anyone reads (tables and the API keep the exact strings).
import uPlot from './vendor/uPlot.esm.js';

export { uPlot };

/** Series colours, given to venues and portfolios in name order so each keeps its colour. */
export const PALETTE = ['#4c8dff', '#2ebd85', '#e2a93b', '#c77dff', '#f0616d', '#4fc3d9'];

const AXIS = { stroke: '#7d8795', grid: { stroke: '#262d37', width: 1 }, ticks: { stroke: '#262d37', width: 1 } };
const HEIGHT = 220;

/** A decimal string as a number to draw; null stays a gap. */
export const plotted = (value) => (value === null || value === undefined ? null : Number(value));

const charts = new WeakMap();

/**
 * Draws `data` in `container`, reusing its chart while the series stay the same (`options().series`
 * labels) and building a new one when they change (a new portfolio, a venue appears).
 */
export function draw(container, options, data) {
  const built = charts.get(container);
  const signature = options.series.map((series) => series.label ?? '').join('|');
  if (built && built.signature === signature) {
    built.chart.setData(data);
    return built.chart;
  }
  built?.chart.destroy();
  const chart = new uPlot({ width: container.clientWidth || 600, height: HEIGHT, ...options, axes: (options.axes ?? [{}, {}]).map((axis) => ({ ...AXIS, ...axis })) }, data, container);
  charts.set(container, { chart, signature });
  return chart;
}

window.addEventListener('resize', () => {
  for (const container of document.querySelectorAll('[data-chart]')) charts.get(container)?.chart.setSize({ width: container.clientWidth, height: HEIGHT });
});

// Execution quality per venue over the gateway's recent fills (GET /charts/execution-quality):
// the markout curve (each venue's own mid 1 s to 5 min after its fills, against the fill price,
// in bps: above zero the price moved the fill's way) and the slippage distribution (how many
// fills landed how many bps from their intent's arrival mid: above zero is a cost).
import { api } from './api.js';
import { byId } from './dom.js';
import { draw, PALETTE, plotted, uPlot } from './chart.js';

export async function refreshQualityCharts() {
  const { horizonsS, markouts, slippage } = await api('GET', '/charts/execution-quality');
  const markoutChart = byId('markout-chart');
  markoutChart.dataset.venues = markouts.map(({ venue }) => venue).join(',');
  markoutChart.dataset.measured = String(markouts.reduce((sum, { points }) => sum + points.reduce((total, point) => total + point.fills, 0), 0));
  draw(
    markoutChart,
    {
      series: [{ label: 'after (s)' }, ...markouts.map(({ venue }, index) => ({ label: venue, stroke: PALETTE[index % PALETTE.length], width: 2, spanGaps: true, points: { show: true } }))],
      axes: [{ label: 'seconds after the fill' }, { label: 'markout bps', size: 60 }],
      // Horizons from 1 s to 5 min: a log axis spreads them evenly.
      scales: { x: { time: false, distr: 3 } },
    },
    [[...horizonsS], ...markouts.map(({ points }) => points.map((point) => plotted(point.markoutBps)))],
  );

  const buckets = [...new Set(slippage.flatMap(({ buckets: rows }) => rows.map((row) => row.bps)))].sort((a, b) => a - b);
  const slippageChart = byId('slippage-chart');
  slippageChart.dataset.venues = slippage.map(({ venue }) => venue).join(',');
  slippageChart.dataset.fills = String(slippage.reduce((sum, { buckets: rows }) => sum + rows.reduce((total, row) => total + row.fills, 0), 0));
  draw(
    slippageChart,
    {
      series: [
        { label: 'bps' },
        // Bars, see-through, so venues that share a bucket both show.
        ...slippage.map(({ venue }, index) => ({ label: venue, stroke: PALETTE[index % PALETTE.length], fill: `${PALETTE[index % PALETTE.length]}55`, width: 1, paths: uPlot.paths.bars({ size: [0.8, 40] }) })),
      ],
      // Whole bps on the axis: the buckets are 1 bp wide.
      axes: [{ label: 'slippage against the arrival mid, bps', incrs: [1, 2, 5, 10] }, { label: 'fills', size: 45, incrs: [1, 2, 5, 10, 20, 50, 100] }],
      scales: { x: { time: false, range: (_, min, max) => (min === null ? [-1, 1] : [min - 1, max + 1]) }, y: { range: (_, min, max) => [0, Math.max(1, max ?? 0)] } },
    },
    [buckets, ...slippage.map(({ buckets: rows }) => buckets.map((bps) => rows.find((row) => row.bps === bps)?.fills ?? 0))],
  );
}

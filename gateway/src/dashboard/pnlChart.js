// Each portfolio's PnL over the last minutes (GET /charts/pnl: sampled by the gateway from the
// positions it holds, marked at the books' mids, in USDT): one line per portfolio, and a dashed
// one per underlying when a portfolio holds more than one.
import { api } from './api.js';
import { byId } from './dom.js';
import { draw, PALETTE, plotted } from './chart.js';

export async function refreshPnlChart() {
  const { portfolios, valuationCurrency } = await api('GET', '/charts/pnl');
  const container = byId('pnl-chart');
  const times = [...new Set(portfolios.flatMap(({ points }) => points.map((point) => point.atMs)))].sort((a, b) => a - b);
  const lines = portfolios.flatMap(({ portfolio, points }, index) => {
    const colour = PALETTE[index % PALETTE.length];
    const at = new Map(points.map((point) => [point.atMs, point]));
    const underlyings = [...new Set(points.flatMap((point) => Object.keys(point.byUnderlying)))].sort();
    return [
      { label: portfolio, stroke: colour, width: 2, values: times.map((ms) => plotted(at.get(ms)?.pnl)) },
      ...(underlyings.length > 1 ? underlyings.map((underlying) => ({ label: `${portfolio} · ${underlying}`, stroke: colour, dash: [4, 4], values: times.map((ms) => plotted(at.get(ms)?.byUnderlying[underlying])) })) : []),
    ];
  });
  const latest = portfolios.map(({ portfolio, points }) => `${portfolio} ${points.at(-1)?.pnl ?? '—'}`).join(' · ');
  byId('pnl-latest').textContent = latest ? `${latest} ${valuationCurrency}` : 'no positions yet';
  container.dataset.points = String(times.length);
  container.dataset.last = portfolios.map(({ points }) => points.at(-1)?.pnl ?? '').join(',');
  draw(
    container,
    {
      series: [{}, ...lines.map(({ label, stroke, width, dash }) => ({ label, stroke, width: width ?? 1, dash, spanGaps: true }))],
      axes: [{}, { label: valuationCurrency, size: 70 }],
      scales: { x: { time: true } },
    },
    [times.map((ms) => ms / 1000), ...lines.map((line) => line.values)],
  );
}

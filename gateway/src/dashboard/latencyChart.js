// Each venue account's median request round trip (venue health's latencyP50Ms, reported by its
// connector every few seconds) over time. The gateway keeps only the latest report, so this
// series is kept here, in the page, since it was opened: a reload starts it again.
import { byId } from './dom.js';
import { draw, PALETTE } from './chart.js';

/** Reports kept per venue account: a few minutes at the connectors' pace. */
const KEPT = 300;

/** venue · account → observedAtMs → latencyP50Ms (null when it made no request in the window). */
const reports = new Map();

/** Adds the health reports of `accounts` (GET /execution/sync_status) and redraws. */
export function recordLatency(accounts) {
  for (const { venue, account, health } of accounts) {
    if (!health) continue;
    const name = `${venue} · ${account ?? 'public'}`;
    const series = reports.get(name) ?? new Map();
    series.set(health.observedAtMs, health.latencyP50Ms);
    if (series.size > KEPT) series.delete(series.keys().next().value);
    reports.set(name, series);
  }
  const names = [...reports.keys()].sort();
  const times = [...new Set(names.flatMap((name) => [...reports.get(name).keys()]))].sort((a, b) => a - b);
  const container = byId('latency-chart');
  container.dataset.venues = names.join(',');
  draw(
    container,
    {
      series: [{}, ...names.map((name, index) => ({ label: name, stroke: PALETTE[index % PALETTE.length], width: 1.5, spanGaps: true }))],
      axes: [{}, { label: 'p50 ms', size: 55 }],
      scales: { x: { time: true } },
    },
    [times.map((ms) => ms / 1000), ...names.map((name) => times.map((ms) => reports.get(name).get(ms) ?? null))],
  );
}

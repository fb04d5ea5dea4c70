// Saved backtest runs (GET /backtests: every `crossvenue backtest` run keeps its reports in the
// runs folder): one row per run with its figures rounded to its currencies' and instruments'
// precision (exact in the title); the selected run (the newest until one is clicked) as its PnL
// over the recorded time, its per-venue costs, and a link to its HTML report.
import { api, apiPage } from './api.js';
import { draw, PALETTE, plotted } from './chart.js';
import { byId, el, fillRows, num, rounded, roundedNum } from './dom.js';

const SHOWN = 50;
/** The run a click chose; the newest readable run until then. */
let chosen = null;
/** The run whose detail is drawn, and its report page's object URL (revoked when another is shown). */
let shown = { id: null, pageUrl: null };

const fileName = (path) => String(path).split(/[\\/]/).pop();

function when(ms) {
  const at = new Date(ms);
  const pad = (value) => String(value).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

/** Amounts per currency (`{USDT: '1.23'}`) as one cell, each rounded to its currency's places. */
function perCurrency(amounts, places, attributes = {}) {
  const entries = Object.entries(amounts ?? {});
  const exact = entries.map(([currency, value]) => `${value} ${currency}`).join(', ');
  const shown = entries.map(([currency, value]) => `${rounded(value, places[currency] ?? 2)} ${currency}`).join(', ');
  return num(shown || '0', { title: exact, ...attributes });
}

function runRow(run, selected) {
  if (run.error) {
    return el('tr', { 'data-testid': 'backtest-row', 'data-run-id': run.id, 'data-error': 'true', class: 'rejected' },
      el('td', {}, '—'), el('td', { colspan: 10, class: 'reason' }, `${run.id}: ${run.error}`));
  }
  const { summary, precision } = run;
  return el('tr', { 'data-testid': 'backtest-row', 'data-run-id': run.id, class: `selectable${selected ? ' chosen' : ''}`, title: run.id, onclick: () => choose(run.id) },
    el('td', {}, when(run.startedAtMs)), el('td', { title: run.data.join('\n') }, run.data.map(fileName).join(', ')),
    el('td', {}, run.strategy ?? `intents ${fileName(run.intents)}`), num(run.seed),
    num(summary.bookEvents), num(summary.fills),
    perCurrency(summary.pnl, precision.currencies, { 'data-testid': 'backtest-pnl' }), perCurrency(summary.fees, precision.currencies),
    roundedNum(summary.slippageBps, 2), num(Math.round(summary.eventsPerSecond)), num(`${summary.timesRealTime}×`));
}

function choose(id) {
  chosen = id;
  refreshBacktests();
}

export async function refreshBacktests() {
  const { runs } = await api('GET', `/backtests?limit=${SHOWN}`);
  const readable = runs.filter((run) => !run.error);
  const selected = readable.find((run) => run.id === chosen) ?? readable[0];
  fillRows(byId('backtest-runs'), runs.map((run) => runRow(run, run === selected)), 'no saved backtest run yet (crossvenue backtest keeps each run)');
  if (selected?.id !== shown.id) await showRun(selected);
}

/** The run's PnL chart, per-venue costs and report link; hidden without a run. */
async function showRun(run) {
  if (shown.pageUrl) window.URL.revokeObjectURL(shown.pageUrl);
  shown = { id: run?.id ?? null, pageUrl: null };
  byId('backtest-detail').hidden = !run;
  if (!run) return;
  const path = `/backtests/${encodeURIComponent(run.id)}`;
  const [{ report }, page] = await Promise.all([api('GET', path), apiPage(`${path}/report.html`)]).catch((error) => {
    shown.id = null; // tried again on the next refresh
    throw error;
  });
  // The page needs the API key, which a plain link cannot send: it opens from the text fetched with it.
  shown.pageUrl = window.URL.createObjectURL(new window.Blob([page], { type: 'text/html' }));
  const link = byId('backtest-report-link');
  link.href = shown.pageUrl;
  link.dataset.runId = run.id;
  byId('backtest-title').textContent = `${when(run.startedAtMs)} · ${run.strategy ?? fileName(run.intents)} · seed ${run.seed}`;
  drawPnl(run, report.samples);
  venueRows(run, report);
}

function drawPnl(run, samples) {
  const container = byId('backtest-pnl-chart');
  const currencies = [...new Set(samples.flatMap((sample) => Object.keys(sample.pnl)))].sort();
  container.dataset.runId = run.id;
  container.dataset.points = String(samples.length);
  container.dataset.currencies = currencies.join(',');
  draw(
    container,
    {
      series: [{}, ...currencies.map((currency, index) => ({ label: `PnL ${currency}`, stroke: PALETTE[index % PALETTE.length], width: 2, spanGaps: true, scale: currency }))],
      // One scale per currency: their amounts do not add up or compare.
      axes: [{}, ...currencies.map((currency, index) => ({ label: currency, scale: currency, size: 70, ...(index > 0 && { side: 1, grid: { show: false } }) }))],
      scales: { x: { time: true } },
    },
    [samples.map((sample) => sample.atMs / 1000), ...currencies.map((currency) => samples.map((sample) => plotted(sample.pnl[currency])))],
  );
}

/** Per venue and instrument: fills, maker share, volume, notional, fees, slippage against the arrival mid, ack latency. */
function venueRows(run, report) {
  const rows = report.venues.map((row) => {
    const places = run.precision.instruments[row.instrument] ?? {};
    // Quote amounts two places finer than the price tick, as the command's table: fees are small.
    const quotePlaces = places.price === undefined ? undefined : places.price + 2;
    const fills = report.fills.filter((fill) => fill.venue === row.venue && fill.instrument === row.instrument);
    const makers = fills.filter((fill) => fill.liquidity === 'MAKER').length;
    return el('tr', { 'data-testid': 'backtest-venue-row', 'data-venue': row.venue, 'data-instrument': row.instrument },
      el('td', {}, row.venue), el('td', {}, row.instrument), num(row.fills), num(fills.length > 0 ? `${Math.round((100 * makers) / fills.length)} %` : null),
      roundedNum(row.volume, places.quantity), roundedNum(row.notional, quotePlaces), el('td', { class: 'num', title: `${row.fees} ${row.feeCurrency}` }, `${rounded(row.fees, quotePlaces)} ${row.feeCurrency}`),
      roundedNum(row.averageSlippageBps, 2, { 'data-testid': 'backtest-slippage' }), num(row.averageAckLatencyMs === null ? null : Math.round(row.averageAckLatencyMs)));
  });
  fillRows(byId('backtest-venues'), rows, 'no fills in this run');
}

// The dashboard: each section refreshes from the REST API when a change on the WebSocket stream
// concerns it (debounced), and every few seconds anyway, so a dropped stream only slows it down.
import { connectStream } from './api.js';
import { refreshAccount } from './account.js';
import { refreshArbitrage } from './arbitrage.js';
import { refreshBacktests } from './backtests.js';
import { setupControls } from './controls.js';
import { refreshDepthChart } from './depthChart.js';
import { byId } from './dom.js';
import { refreshIntentPath } from './intentPath.js';
import { recordLatency } from './latencyChart.js';
import { refreshFills, refreshOrders } from './orders.js';
import { refreshPnlChart } from './pnlChart.js';
import { refreshQualityCharts } from './qualityCharts.js';
import { refreshSync } from './sync.js';
import { setupTicket, suggest } from './ticket.js';
import { refreshBooks, refreshVenues } from './venues.js';

const FALLBACK_REFRESH_MS = 3000;
/** Charts follow marks and books, which move many times a second: they redraw on their own clock. */
const CHART_REFRESH_MS = 1000;
const CHARTS = ['pnl', 'depth'];
const DEBOUNCE_MS = 150;

let selectedIntent = null;

function showError(message) {
  byId('status').textContent = message;
  byId('status').className = 'status error';
}

function select(intentId) {
  selectedIntent = intentId;
  schedule('path');
}

const SECTIONS = {
  account: async () => {
    const { balances, positions } = await refreshAccount();
    const portfolios = [...new Set([...balances.byAccount, ...positions.byVenue].map((row) => row.portfolio))];
    return { portfolios };
  },
  orders: () => refreshOrders({ onSelect: select, onError: showError }),
  fills: () => refreshFills({ onSelect: select }),
  path: () => refreshIntentPath(selectedIntent),
  venues: async () => {
    const { accounts, portfolios } = await refreshVenues();
    recordLatency(accounts);
    return { portfolios };
  },
  books: async () => {
    const books = await refreshBooks();
    suggest({ portfolios: [], instruments: [...new Set(books.map((book) => book.instrument))] });
  },
  arbitrage: () => refreshArbitrage(),
  sync: () => refreshSync(),
  backtests: () => refreshBacktests(),
  pnl: () => refreshPnlChart(),
  depth: () => refreshDepthChart(),
  quality: () => refreshQualityCharts(),
};

/** Which sections a stream change makes stale. */
const STALE_ON = {
  position: ['account'],
  balances: ['account'],
  order: ['orders', 'path'],
  fill: ['fills', 'path', 'account', 'quality'],
  intent: ['orders', 'path'],
  route: ['path'],
  'venue-health': ['venues'],
  reconciled: ['venues'],
  discrepancy: ['venues'],
  book: ['books'],
  'arbitrage-group': ['arbitrage'],
  'sync-decision': ['sync'],
};

const pending = new Set();
let timer = null;

function schedule(...sections) {
  for (const section of sections) pending.add(section);
  timer ??= setTimeout(flush, DEBOUNCE_MS);
}

async function flush() {
  const sections = [...pending];
  pending.clear();
  timer = null;
  const results = await Promise.allSettled(sections.map(async (section) => [section, await SECTIONS[section]()]));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) return showError(`gateway: ${failed.reason.message}`);
  // The ticket's portfolio: one the gateway has seen in balances, positions or reconciliation.
  const portfolios = results.flatMap((result) => result.value?.[1]?.portfolios ?? []);
  if (portfolios.length > 0) suggest({ portfolios, instruments: [] });
  byId('updated').textContent = `updated ${new Date().toLocaleTimeString(undefined, { hour12: false })}`;
}

setupTicket({ onSent: select });
setupControls();
connectStream(
  (change) => schedule(...(STALE_ON[change.type] ?? [])),
  (status) => {
    byId('status').textContent = status === 'live' ? 'live' : 'stream offline · polling';
    byId('status').className = `status ${status}`;
    byId('status').dataset.stream = status;
  },
);
schedule(...Object.keys(SECTIONS));
setInterval(() => schedule(...Object.keys(SECTIONS)), FALLBACK_REFRESH_MS);
setInterval(() => schedule(...CHARTS), CHART_REFRESH_MS);

// Venue health and reconciliation (sync) status per venue account, and top of book per venue.
import { api } from './api.js';
import { byId, el, fillRows, num, stateBadge, time, venueBadge } from './dom.js';

export async function refreshVenues() {
  const { accounts } = await api('GET', '/execution/sync_status');
  const rows = accounts.map((row) =>
    el('tr', { 'data-testid': 'venue-health-row', 'data-venue': row.venue, 'data-account': row.account ?? '', 'data-state': row.health?.state ?? 'UNKNOWN' },
      el('td', {}, venueBadge(row.venue)), el('td', {}, row.account ?? 'public'), el('td', {}, stateBadge(row.health?.state ?? 'no report')),
      num(row.health?.latencyP50Ms), num(row.health?.bookStalenessMs), num(row.health?.errorRate), el('td', {}, time(row.lastReconciledMs)),
      num(String(row.discrepancies.length)), el('td', { class: 'reason' }, row.health?.reason ?? '')),
  );
  fillRows(byId('venue-health'), rows, 'no venue has reported yet');
  return { accounts, portfolios: accounts.map((row) => row.portfolio).filter(Boolean) };
}

export async function refreshBooks() {
  const { books } = await api('GET', '/market/books');
  books.sort((a, b) => a.instrument.localeCompare(b.instrument) || a.venue.localeCompare(b.venue));
  const rows = books.map((book) =>
    el('tr', { 'data-testid': 'book-row', 'data-venue': book.venue, 'data-instrument': book.instrument },
      el('td', {}, book.instrument), el('td', {}, venueBadge(book.venue)), num(book.bestBid, { class: 'num bid' }), num(book.bestAsk, { class: 'num ask' }),
      num(book.sequence === null ? null : String(book.sequence)), el('td', {}, time(book.receivedAtMs))),
  );
  fillRows(byId('books'), rows, 'no books yet');
  return books;
}

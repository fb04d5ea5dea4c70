// Balances per asset with the per-venue breakdown, and positions per underlying and per venue,
// both valued in the gateway's valuation currency (USDT) at the books' mids.
import { api } from './api.js';
import { byId, el, fillRows, num, venueBadge } from './dom.js';

export async function refreshAccount() {
  const { balances, positions } = await api('GET', '/execution/account_status');
  renderBalances(balances);
  renderPositions(positions);
  return { balances, positions };
}

function renderBalances(balances) {
  byId('balance-total').textContent = `${balances.totalValue ?? '—'} ${balances.valuationCurrency}`;
  const rows = balances.aggregated.flatMap((row) => [
    el('tr', { class: 'group', 'data-testid': 'balance-row', 'data-asset': row.asset },
      el('td', {}, el('strong', {}, row.asset)), el('td'), num(row.total, { 'data-testid': 'balance-total-quantity' }), num(row.free), num(row.locked), num(row.price), num(row.value)),
    ...row.venues.map((venue) =>
      el('tr', { class: 'detail', 'data-testid': 'balance-venue-row', 'data-asset': row.asset, 'data-venue': venue.venue },
        el('td'), el('td', {}, venueBadge(venue.venue), ' ', venue.account), num(venue.total), num(venue.free), num(venue.locked), el('td'), num(venue.value)),
    ),
  ]);
  fillRows(byId('balances'), rows, 'no balances yet');
}

function renderPositions(positions) {
  const rows = positions.byUnderlying.flatMap((row) => [
    el('tr', { class: 'group', 'data-testid': 'position-row', 'data-underlying': row.underlying },
      el('td', {}, el('strong', {}, row.underlying)), el('td'), num(row.netQuantity, { 'data-testid': 'position-net' }), num(row.grossQuantity), el('td'), el('td'), num(row.value)),
    ...row.venues.map((venue) =>
      el('tr', { class: 'detail', 'data-testid': 'position-venue-row', 'data-underlying': row.underlying, 'data-venue': venue.venue },
        el('td'), el('td', {}, venueBadge(venue.venue), ' ', venue.account, ' · ', venue.instrument), num(venue.quantity), el('td'),
        num(venue.averageEntryPrice), num(venue.realizedPnl), num(venue.unrealizedPnl)),
    ),
  ]);
  fillRows(byId('positions'), rows, 'no positions yet');
}

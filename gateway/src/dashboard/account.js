// Balances per asset with the per-venue breakdown, and positions per underlying and per venue,
// both valued in the gateway's valuation currency (USDT) at the books' mids; a derivative's row
// shows the venue's mark, leverage, margin and liquidation price, rounded to its instrument's
// precision (exact in the title).
import { api } from './api.js';
import { byId, el, fillRows, num, roundedCells, venueBadge } from './dom.js';

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
      el('td', {}, el('strong', {}, row.underlying)), el('td'), num(row.netQuantity, { 'data-testid': 'position-net' }), num(row.grossQuantity), el('td'), el('td'), num(row.value),
      el('td'), el('td'), el('td'), el('td')),
    ...row.venues.map((venue) => venueRow(row.underlying, venue, roundedCells(positions.precision, venue.instrument))),
  ]);
  fillRows(byId('positions'), rows, 'no positions yet');
}

function venueRow(underlying, venue, { price }) {
  const leverage = venue.leverage === null ? null : `${venue.leverage}×${venue.marginMode ? ` ${venue.marginMode}` : ''}`;
  return el('tr', { class: 'detail', 'data-testid': 'position-venue-row', 'data-underlying': underlying, 'data-venue': venue.venue },
    el('td'), el('td', {}, venueBadge(venue.venue), ' ', venue.account, ' · ', venue.instrument), num(venue.quantity), el('td'),
    num(venue.averageEntryPrice), num(venue.realizedPnl), num(venue.unrealizedPnl),
    price(venue.markPrice, { 'data-testid': 'position-mark' }), el('td', { class: 'num', 'data-testid': 'position-leverage' }, leverage),
    price(venue.initialMargin, { 'data-testid': 'position-margin' }), price(venue.liquidationPrice, { 'data-testid': 'position-liquidation' }));
}

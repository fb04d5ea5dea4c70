// Open orders (each with a Cancel button that cancels its intent), recently closed orders and
// recent fills; every row carries a venue badge and selects its intent's execution path on click.
import { api } from './api.js';
import { byId, el, fillRows, num, sideBadge, stateBadge, time, venueBadge } from './dom.js';

const CLOSED_SHOWN = 20;

export async function refreshOrders({ onSelect, onError }) {
  const { open, closed } = await api('GET', `/execution/orders?limit=${CLOSED_SHOWN}`);
  const cancel = (order) => async (event) => {
    event.stopPropagation();
    event.target.disabled = true;
    try {
      await api('POST', '/execution/unified_cancel', { intentId: order.intentId });
    } catch (error) {
      event.target.disabled = false;
      onError(`cancel ${order.clientOrderId}: ${error.message}`);
    }
  };
  const row = (order, testId, action) =>
    el('tr', { 'data-testid': testId, 'data-venue': order.venue, 'data-intent-id': order.intentId, 'data-client-order-id': order.clientOrderId, 'data-state': order.state, class: 'selectable', onclick: () => onSelect(order.intentId) },
      el('td', {}, venueBadge(order.venue)), el('td', {}, order.account), el('td', {}, order.instrument), el('td', {}, sideBadge(order.side)),
      el('td', {}, stateBadge(order.state)), num(order.limitPrice), num(order.filledQuantity), num(order.remainingQuantity), num(order.averagePrice), el('td', {}, action));
  fillRows(byId('open-orders'), open.map((order) => row(order, 'order-row', el('button', { class: 'small danger', 'data-testid': 'order-cancel', onclick: cancel(order) }, 'Cancel'))), 'no open orders');
  fillRows(byId('closed-orders'), closed.map((order) => row(order, 'closed-order-row', '')), 'no closed orders yet');
}

export async function refreshFills({ onSelect }) {
  const { fills } = await api('GET', '/execution/fills?limit=30');
  const rows = fills.map((fill) =>
    el('tr', { 'data-testid': 'fill-row', 'data-venue': fill.venue, 'data-intent-id': fill.intentId ?? '', class: 'selectable', onclick: () => fill.intentId && onSelect(fill.intentId) },
      el('td', {}, time(fill.receivedAtMs)), el('td', {}, venueBadge(fill.venue)), el('td', {}, fill.account), el('td', {}, fill.instrument), el('td', {}, sideBadge(fill.side)),
      num(fill.price), num(fill.quantity), num(`${fill.fee} ${fill.feeCurrency}`), el('td', {}, fill.liquidity)),
  );
  fillRows(byId('fills'), rows, 'no fills yet');
}

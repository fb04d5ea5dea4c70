// The execution path of the selected intent: its route decisions (legs), child orders with their
// states, fills, and realized against expected price and cost.
import { api } from './api.js';
import { byId, el, fillRows, num, sideBadge, stateBadge, time, venueBadge } from './dom.js';

export async function refreshIntentPath(intentId) {
  const panel = byId('intent-path');
  if (!intentId) return;
  const path = await api('GET', `/intents/${encodeURIComponent(intentId)}/path`);
  const { intent, summary, status } = path;
  panel.dataset.intentId = intentId;
  byId('path-title').replaceChildren(
    el('code', {}, intentId), ' ', intent ? sideBadge(intent.order?.side ?? intent.kind) : '', ' ',
    intent ? `${intent.order?.amount ?? intent.targetQuantity ?? ''} ${intent.instrument} · ${intent.action}` : '',
    ' ', status ? el('span', { 'data-testid': 'path-status', title: status.reason ?? '' }, stateBadge(status.state), status.rule ? ` ${status.rule}` : '') : '',
  );
  const figure = (label, value, testId) => el('div', { class: 'figure' }, el('span', {}, label), el('strong', { 'data-testid': testId }, value ?? '—'));
  byId('path-summary').replaceChildren(
    figure('routed', summary.routedQuantity, 'path-routed'),
    figure('filled', summary.filledQuantity, 'path-filled'),
    figure('expected avg', summary.expectedAveragePrice, 'path-expected-price'),
    figure('realized avg', summary.realizedAveragePrice, 'path-realized-price'),
    figure('slippage (bps)', summary.slippageBps, 'path-slippage'),
    figure(`slippage ${summary.costCurrency ?? ''}`, summary.slippageCost, 'path-slippage-cost'),
    figure(`planned cost ${summary.costCurrency ?? ''}`, summary.expectedCost, 'path-expected-cost'),
    figure(`realized cost ${summary.costCurrency ?? ''}`, summary.realizedCost, 'path-realized-cost'),
  );
  const legs = path.routeDecisions.flatMap((decision) => decision.legs.map((leg) =>
    el('tr', { 'data-testid': 'path-leg', 'data-venue': leg.venue },
      el('td', {}, time(decision.decidedAtMs)), el('td', {}, String(leg.leg)), el('td', {}, venueBadge(leg.venue)), el('td', {}, leg.account),
      num(leg.quantity), num(leg.limitPrice), num(leg.expectedAveragePrice), num(leg.expectedFee)),
  ));
  fillRows(byId('path-legs'), legs, 'no route decision yet');
  fillRows(byId('path-orders'), path.orders.map((order) =>
    el('tr', { 'data-testid': 'path-order', 'data-venue': order.venue, 'data-state': order.state },
      el('td', {}, el('code', {}, order.clientOrderId)), el('td', {}, venueBadge(order.venue)), el('td', {}, stateBadge(order.state)),
      num(order.filledQuantity), num(order.remainingQuantity), num(order.averagePrice), el('td', { class: 'reason' }, order.reason ?? '')),
  ), 'no child order yet');
  fillRows(byId('path-fills'), path.fills.map((fill) =>
    el('tr', { 'data-testid': 'path-fill', 'data-venue': fill.venue },
      el('td', {}, time(fill.receivedAtMs)), el('td', {}, venueBadge(fill.venue)), num(fill.price), num(fill.quantity), num(`${fill.fee} ${fill.feeCurrency}`), el('td', {}, fill.liquidity)),
  ), 'no fill yet');
  panel.hidden = false;
  byId('path-empty').hidden = true;
}

// Recent arbitrage groups (/arbitrage/groups): each group's venues, policy, state, plan and edges,
// rounded to its instrument's precision (exact in the title); a click shows or hides its legs.
import { api } from './api.js';
import { byId, el, fillRows, num, roundedCells, roundedNum, sideBadge, stateBadge, time, venueBadge } from './dom.js';

const SHOWN = 30;
/** Groups whose legs are open: kept across refreshes, so a new record does not fold them. */
const expanded = new Set();

export async function refreshArbitrage() {
  const { groups, precision } = await api('GET', `/arbitrage/groups?limit=${SHOWN}`);
  const toggle = (groupId) => () => {
    if (!expanded.delete(groupId)) expanded.add(groupId);
    refreshArbitrage();
  };
  const rows = groups.flatMap((group) => {
    const { price, quantity } = roundedCells(precision, group.instrument);
    const row = el('tr', {
      'data-testid': 'arb-group-row', 'data-group-id': group.groupId, 'data-strategy': group.strategy, 'data-state': group.state,
      'data-buy-venue': group.buyVenue, 'data-sell-venue': group.sellVenue, class: 'selectable', title: `${group.groupId}: ${group.reason}`, onclick: toggle(group.groupId),
    },
      el('td', {}, time(group.closedAtMs ?? group.openedAtMs)), el('td', {}, group.instrument),
      el('td', {}, venueBadge(group.buyVenue), ' → ', venueBadge(group.sellVenue)), el('td', {}, group.policy), el('td', {}, stateBadge(group.state)),
      quantity(group.plannedQuantity), price(group.expectedEdge, { 'data-testid': 'arb-expected-edge' }), roundedNum(group.expectedEdgeBps, 2),
      price(group.realizedEdge, { 'data-testid': 'arb-realized-edge' }), price(group.unwindCost, { 'data-testid': 'arb-unwind-cost' }), num(String(group.legs.length)));
    if (!expanded.has(group.groupId)) return [row];
    const legs = group.legs.map((leg) =>
      el('tr', { 'data-testid': 'arb-leg-row', 'data-group-id': group.groupId, 'data-role': leg.role, 'data-venue': leg.venue, class: 'detail' },
        el('td', {}, time(leg.sentAtMs)), el('td', {}, leg.role), el('td', {}, venueBadge(leg.venue), ' ', sideBadge(leg.side)),
        el('td', {}, leg.doneAtMs === null ? 'working' : `${leg.doneAtMs - leg.sentAtMs} ms`), el('td', { class: 'reason' }, leg.outcome),
        quantity(leg.requestedQuantity), price(leg.limitPrice), quantity(leg.filledQuantity), price(leg.averagePrice), price(leg.fees), el('td', {}, el('code', {}, leg.intentId))),
    );
    return [row, ...legs];
  });
  fillRows(byId('arb-groups'), rows, 'no arbitrage group yet');
}

// Recent arbitrage groups (/arbitrage/groups): each group's kind, venues, policy, state, plan and
// edges, rounded to its instrument's precision (exact in the title), and for a funding position's
// groups the differential the decision saw and the funding a closing group collected; a click
// shows or hides its legs, each with the instrument it traded.
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
      el('td', {}, time(group.closedAtMs ?? group.openedAtMs)), el('td', { title: group.positionId ?? '' }, group.kind),
      el('td', {}, group.sellInstrument ? `${group.instrument} / ${group.sellInstrument}` : group.instrument),
      el('td', {}, venueBadge(group.buyVenue), ' → ', venueBadge(group.sellVenue)), el('td', {}, group.policy), el('td', {}, stateBadge(group.state)),
      quantity(group.plannedQuantity), price(group.expectedEdge, { 'data-testid': 'arb-expected-edge' }), roundedNum(group.expectedEdgeBps, 2),
      price(group.realizedEdge, { 'data-testid': 'arb-realized-edge' }), price(group.unwindCost, { 'data-testid': 'arb-unwind-cost' }),
      roundedNum(group.expectedFundingApr === null ? null : percent(group.expectedFundingApr), 2), price(group.fundingCollected, { 'data-testid': 'arb-funding' }),
      num(String(group.legs.length)));
    if (!expanded.has(group.groupId)) return [row];
    const legs = group.legs.map((leg) =>
      el('tr', { 'data-testid': 'arb-leg-row', 'data-group-id': group.groupId, 'data-role': leg.role, 'data-venue': leg.venue, class: 'detail' },
        el('td', {}, time(leg.sentAtMs)), el('td', {}, leg.role), el('td', {}, leg.instrument ?? group.instrument), el('td', {}, venueBadge(leg.venue), ' ', sideBadge(leg.side)),
        el('td', {}, leg.doneAtMs === null ? 'working' : `${leg.doneAtMs - leg.sentAtMs} ms`), el('td', { class: 'reason' }, leg.outcome),
        quantity(leg.requestedQuantity), price(leg.limitPrice), quantity(leg.filledQuantity), price(leg.averagePrice), price(leg.fees), el('td', {}, el('code', {}, leg.intentId))),
    );
    return [row, ...legs];
  });
  fillRows(byId('arb-groups'), rows, 'no arbitrage group yet');
}

/** A yearly fraction as a percentage, moving the decimal point in the text: no float touches the figure. */
function percent(fraction) {
  const negative = fraction.startsWith('-');
  const [whole, decimals = ''] = (negative ? fraction.slice(1) : fraction).split('.');
  const digits = `${whole}${decimals.padEnd(2, '0')}`;
  const point = whole.length + 2;
  const text = `${digits.slice(0, point).replace(/^0+(?=\d)/, '')}.${digits.slice(point)}`.replace(/\.$/, '');
  return negative ? `-${text}` : text;
}

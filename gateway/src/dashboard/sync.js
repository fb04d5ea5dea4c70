// The trade synchronizer: each follower at a glance (/sync/followers) and the recent decisions
// (/sync/decisions), quantities and prices rounded to the follower instrument's precision (exact
// in the title).
import { api } from './api.js';
import { byId, el, fillRows, num, roundedCells, sideBadge, stateBadge, time, venueBadge } from './dom.js';

const SHOWN = 30;

export async function refreshSync() {
  const [followers, decisions] = await Promise.all([api('GET', '/sync/followers'), api('GET', `/sync/decisions?limit=${SHOWN}`)]);
  fillRows(byId('sync-followers'), followers.followers.flatMap((follower) => followerRows(follower, followers.precision)), 'no follower has a decision yet');
  fillRows(byId('sync-decisions'), decisions.decisions.map((decision) => decisionRow(decision, decisions.precision)), 'no synchronizer decision yet');
}

/** A follower's row, then one row per instrument with its latest target, actual and residual. */
function followerRows({ follower, leaderVenue, leaderAccount, venue, account, paused, configuration, removed, lastDecisionAtMs, lastKind, counts, instruments }, precision) {
  const row = el('tr', { 'data-testid': 'sync-follower-row', 'data-follower': follower, 'data-paused': paused === null ? null : String(paused), 'data-removed': String(removed) },
    // Its configuration (the config file's entry shape) in the title, as PUT /sync/followers/{name} takes it.
    el('td', { 'data-testid': 'sync-configuration', title: configuration ? JSON.stringify(configuration, null, 1) : 'no configuration read yet' }, follower, removed ? [' ', stateBadge('REMOVED')] : []),
    el('td', { title: `${leaderVenue} ${leaderAccount} → ${venue} ${account}` }, venueBadge(leaderVenue), ' → ', venueBadge(venue)),
    // null: neither a PAUSE or RESUME nor a configuration read yet.
    el('td', { 'data-testid': 'sync-paused', title: paused === null && 'not known yet' }, paused === null ? null : stateBadge(paused ? 'PAUSED' : 'ACTIVE')),
    el('td', {}, time(lastDecisionAtMs), ' ', stateBadge(lastKind)),
    // A residual trade is a mirror too, one that also carried what earlier skips left.
    num(counts.MIRROR + counts.RESIDUAL_TRADE, { 'data-testid': 'sync-mirrors', title: `${counts.MIRROR} mirrors, ${counts.RESIDUAL_TRADE} residual trades` }),
    num(counts.SKIP, { 'data-testid': 'sync-skips' }), num(counts.CORRECTION, { 'data-testid': 'sync-corrections' }), el('td', { colspan: 3 }));
  const rows = instruments.map(({ instrument, targetQuantity, actualQuantity, residualQuantity }) => {
    const { quantity } = roundedCells(precision, instrument);
    return el('tr', { 'data-testid': 'sync-instrument-row', 'data-follower': follower, 'data-instrument': instrument, class: 'detail' },
      el('td', { colspan: 7 }, instrument),
      quantity(targetQuantity, { 'data-testid': 'sync-target' }), quantity(actualQuantity, { 'data-testid': 'sync-actual' }), quantity(residualQuantity, { 'data-testid': 'sync-residual' }));
  });
  return [row, ...rows];
}

function decisionRow(decision, precision) {
  const { price, quantity } = roundedCells(precision, decision.instrument);
  return el('tr', { 'data-testid': 'sync-decision-row', 'data-follower': decision.follower, 'data-kind': decision.kind, 'data-event-id': decision.eventId, title: decision.leaderEvent ?? decision.eventId },
    el('td', {}, time(decision.decidedAtMs)), el('td', {}, decision.follower), el('td', {}, stateBadge(decision.kind)),
    el('td', { title: `${decision.leaderAccount} → ${decision.account}` }, venueBadge(decision.leaderVenue), ' → ', venueBadge(decision.venue)),
    el('td', { title: decision.leaderInstrument !== decision.instrument && decision.leaderInstrument && `leader: ${decision.leaderInstrument}` }, decision.instrument),
    el('td', {}, decision.side && sideBadge(decision.side)),
    quantity(decision.quantity, { 'data-testid': 'sync-quantity' }), price(decision.limitPrice, { 'data-testid': 'sync-limit' }), quantity(decision.residualQuantity, { 'data-testid': 'sync-residual' }),
    el('td', { class: 'reason' }, decision.reason), el('td', {}, decision.intentId && el('code', {}, decision.intentId)));
}

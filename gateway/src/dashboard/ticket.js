// The order ticket: the router's plan first (route_preview: legs, expected cost, candidates and
// why each was or was not used), and only then the order (unified_order) with the same terms.
// Changing a field after the preview withdraws the plan, so what is sent is what was shown.
import { api } from './api.js';
import { byId, el, fillRows, num, venueBadge } from './dom.js';

let previewed = null;

/** The order the ticket holds now (its fields as typed), as unified_order and route_preview take it. */
export function currentOrder() {
  const limit = byId('ticket-type').value === 'limit';
  return {
    portfolio: byId('ticket-portfolio').value.trim(),
    instrument: byId('ticket-instrument').value.trim(),
    side: byId('ticket-side').value,
    amount: byId('ticket-amount').value.trim(),
    ...(limit ? { limitPrice: byId('ticket-limit-price').value.trim(), timeInForce: byId('ticket-tif').value } : { timeInForce: 'IOC' }),
  };
}

function say(message, kind = 'info') {
  const line = byId('ticket-result');
  line.textContent = message;
  line.className = `result ${kind}`;
}

function withdrawPlan() {
  previewed = null;
  byId('ticket-send').disabled = true;
  byId('ticket-plan').hidden = true;
}

function renderPlan(plan) {
  byId('plan-summary').replaceChildren(
    el('span', {}, 'routed ', el('strong', { 'data-testid': 'plan-routed-quantity' }, plan.quantity), ` of ${plan.requested.amount} ${plan.requested.amountType}`),
    el('span', {}, 'expected cost ', el('strong', { 'data-testid': 'plan-expected-cost' }, `${plan.totalExpectedCost} ${plan.costCurrency}`)),
    el('span', {}, 'arrival mid ', el('strong', {}, plan.arrivalMid ?? '—')),
  );
  fillRows(byId('plan-legs'), plan.legs.map((leg) =>
    el('tr', { 'data-testid': 'plan-leg', 'data-venue': leg.venue },
      el('td', {}, venueBadge(leg.venue)), el('td', {}, leg.account), num(leg.quantity), num(leg.limitPrice), num(leg.expectedAveragePrice), num(leg.expectedFee)),
  ), 'no leg: nothing can be routed now (see the candidates)');
  fillRows(byId('plan-candidates'), plan.candidates.map((candidate) =>
    el('tr', { 'data-testid': 'plan-candidate', 'data-venue': candidate.venue, 'data-chosen': String(candidate.chosen), class: candidate.chosen ? '' : 'rejected' },
      el('td', {}, venueBadge(candidate.venue)), el('td', {}, candidate.account), num(candidate.availableQuantity), num(candidate.expectedAveragePrice),
      num(candidate.expectedTotalCost), el('td', {}, candidate.chosen ? 'chosen' : 'not used'), el('td', { class: 'reason' }, candidate.reason)),
  ), 'no venue holds a book and rules for this instrument');
  byId('ticket-plan').hidden = false;
}

async function preview(event) {
  event.preventDefault();
  withdrawPlan();
  const order = currentOrder();
  try {
    const plan = await api('POST', '/execution/route_preview', order);
    renderPlan(plan);
    // One idempotency key per previewed order: a double click on Send is still one intent.
    previewed = { order, idempotencyKey: `dash-${crypto.randomUUID()}` };
    byId('ticket-send').disabled = plan.legs.length === 0;
    say(plan.legs.length > 0 ? 'review the plan, then send' : 'nothing to send: no venue can take this order now', plan.legs.length > 0 ? 'info' : 'error');
  } catch (error) {
    say(error.field ? `${error.field}: ${error.message.replace(`${error.field}: `, '')}` : error.message, 'error');
  }
}

export function setupTicket({ onSent }) {
  byId('ticket').addEventListener('submit', preview);
  byId('ticket').addEventListener('input', withdrawPlan);
  byId('ticket-type').addEventListener('change', () => {
    const limit = byId('ticket-type').value === 'limit';
    byId('ticket-limit-price').disabled = !limit;
    byId('ticket-tif').disabled = !limit;
  });
  byId('ticket-send').addEventListener('click', async () => {
    if (!previewed) return;
    byId('ticket-send').disabled = true;
    try {
      const accepted = await api('POST', '/execution/unified_order', previewed.order, { 'idempotency-key': previewed.idempotencyKey });
      say(`sent: intent ${accepted.intentId}`, 'ok');
      byId('ticket-result').dataset.intentId = accepted.intentId;
      onSent(accepted.intentId);
    } catch (error) {
      byId('ticket-send').disabled = false;
      say(error.message, 'error');
    }
  });
}

/** Fills the ticket's portfolio and instrument suggestions from what the gateway knows. */
export function suggest({ portfolios, instruments }) {
  const portfolio = byId('ticket-portfolio');
  if (!portfolio.value && portfolios.length > 0) portfolio.value = portfolios[0];
  byId('known-instruments').replaceChildren(...instruments.map((instrument) => el('option', { value: instrument })));
  const field = byId('ticket-instrument');
  if (!field.value && instruments.length > 0) field.value = instruments[0];
}

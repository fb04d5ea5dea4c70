import { clientOrderId, Decimal, type Fill, type IntentId, type RouteDecision } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { brokenInvariants, findingsOf, venueMoves, type ScenarioEvidence } from './invariants.ts';
import { ledgerSince, type VenueOrder, type VenueTrade } from './venueLedger.ts';

const idOf = (intentId: string, leg = 0) => clientOrderId(intentId as IntentId, leg, 0);

function order(intentId: string, overrides: Partial<VenueOrder> = {}): VenueOrder {
  return { venue: 'v1', account: 'a1', orderId: `o-${intentId}`, clientOrderId: idOf(intentId), side: 'BUY', filled: new Decimal('0.01'), status: 'FILLED', createdAtMs: 1_000, ...overrides };
}

function trade(intentId: string, overrides: Partial<VenueTrade> = {}): VenueTrade {
  return { venue: 'v1', account: 'a1', tradeId: `t-${intentId}`, orderId: `o-${intentId}`, side: 'BUY', quantity: new Decimal('0.01'), fee: new Decimal('0.1'), feeCurrency: 'USDT', atMs: 1_000, ...overrides };
}

function fill(intentId: string, overrides: Partial<Fill> = {}): Fill {
  return { eventId: `f-${intentId}`, venue: 'v1', venueTradeId: `t-${intentId}`, clientOrderId: idOf(intentId), ...overrides } as Fill;
}

/** Two intents, each one order and one trade on v1, each trade published once; positions moved as the venue traded. */
function consistent(): ScenarioEvidence {
  const trades = [trade('i1'), trade('i2')];
  const moves = venueMoves(['v1'], trades);
  return {
    intents: [{ intentId: 'i1' }, { intentId: 'i2' }],
    placedOnBus: [],
    venues: { orders: [order('i1'), order('i2')], trades },
    tradedInRun: new Set(trades.map(({ venue, tradeId }) => `${venue} ${tradeId}`)),
    pipeline: { decisions: [{ intentId: 'i1' }, { intentId: 'i2' }] as RouteDecision[], verdicts: [], fills: [fill('i1'), fill('i2')] },
    positionsMoved: moves,
    venuesMoved: moves,
    auditMissing: [],
    expectedDeadLetters: [],
    deadLetterTopics: [],
  };
}

describe('chaos invariants', () => {
  it('finds nothing wrong when the venues, the topics and the positions agree', () => {
    const findings = findingsOf(consistent());
    expect(findings).toMatchObject({ intentsSent: 2, intentsAccounted: 2, venueOrders: 2 });
    expect(brokenInvariants(findings)).toEqual([]);
  });

  it('counts a client order id the venues list twice as a duplicate order', () => {
    const evidence = consistent();
    evidence.venues.orders.push(order('i1', { venue: 'v2', orderId: 'o-again' }));
    expect(findingsOf(evidence).duplicateOrders).toEqual([idOf('i1')]);
    expect(brokenInvariants(findingsOf(evidence))).toEqual([`1 duplicate venue orders (${idOf('i1')})`]);
  });

  it('counts a venue order of no intent, unless the intent was placed on the bus (a lost gateway answer)', () => {
    const evidence = consistent();
    evidence.venues.orders.push(order('i3'));
    expect(findingsOf(evidence).ordersWithoutIntent).toEqual([`v1 ${idOf('i3')}`]);
    evidence.placedOnBus = ['i3'];
    expect(findingsOf(evidence).ordersWithoutIntent).toEqual([]);
  });

  it('counts a venue trade missing from exec.fills as lost, and a fill no venue lists as unknown', () => {
    const evidence = consistent();
    evidence.pipeline = { ...evidence.pipeline, fills: [fill('i1'), { ...fill('i2'), venueTradeId: 't-other' }] };
    const findings = findingsOf(evidence);
    expect(findings.lostFills).toEqual(['v1 t-i2']);
    expect(findings.fillsNoVenueLists).toEqual(['v1 t-other']);
  });

  it('does not count a fill of a trade the venue made before the scenario as unknown: it was published again, not made up', () => {
    const evidence = consistent();
    evidence.tradedInRun = new Set([...evidence.tradedInRun, 'v1 t-earlier']);
    evidence.pipeline = { ...evidence.pipeline, fills: [...evidence.pipeline.fills, { ...fill('i1'), eventId: 'recon-earlier', venueTradeId: 't-earlier' }] };
    expect(findingsOf(evidence).fillsNoVenueLists).toEqual([]);
    expect(brokenInvariants(findingsOf(evidence))).toEqual([]);
  });

  it('reports a venue trade published twice under two event ids as republished, which alone breaks no invariant', () => {
    const evidence = consistent();
    evidence.pipeline = { ...evidence.pipeline, fills: [...evidence.pipeline.fills, { ...fill('i1'), eventId: 'reconciled-i1' }] };
    const findings = findingsOf(evidence);
    expect(findings.republishedFills).toEqual(['v1 t-i1']);
    expect(brokenInvariants(findings)).toEqual([]);
  });

  it('counts a position that moved other than its venue traded as drift', () => {
    const evidence = consistent();
    evidence.positionsMoved = venueMoves(['v1'], [trade('i1')]);
    expect(Object.keys(findingsOf(evidence).positionDrift)).toEqual(['v1']);
  });

  it('keeps two accounts on one venue apart: a fill folded into the wrong account is drift on both', () => {
    const evidence = consistent();
    const trades = [trade('i1', { account: 'a1' }), trade('i2', { account: 'a2' })];
    const books = ['v1/a1', 'v1/a2'];
    const byAccount = (candidate: { venue: string; account: string }) => `${candidate.venue}/${candidate.account}`;
    evidence.venues = { ...evidence.venues, trades };
    evidence.venuesMoved = venueMoves(books, trades, byAccount);
    evidence.positionsMoved = venueMoves(books, trades, byAccount);
    expect(brokenInvariants(findingsOf(evidence))).toEqual([]);
    evidence.venues = { ...evidence.venues, orders: [order('i1', { account: 'a1' }), order('i2', { account: 'a2' })] };
    expect(findingsOf(evidence).ordersByAccount).toEqual({ 'v1|a1': 1, 'v1|a2': 1 });
    // Both trades in a1's position: the venue total is right, each account's is not.
    evidence.positionsMoved = venueMoves(books, trades.map((one) => ({ ...one, account: 'a1' })), byAccount);
    expect(Object.keys(findingsOf(evidence).positionDrift)).toEqual(books);
  });

  it('counts audit rows missing, and intents the router never answered', () => {
    const evidence = consistent();
    evidence.auditMissing = ['f-i2'];
    evidence.pipeline = { ...evidence.pipeline, decisions: [{ intentId: 'i1' }] as RouteDecision[] };
    expect(brokenInvariants(findingsOf(evidence))).toEqual(['1 records missing from the audit log (f-i2)', '1 of 2 intents left no trace']);
  });

  it('counts a topic whose bad record reached no dead letter', () => {
    const evidence = { ...consistent(), expectedDeadLetters: ['dlq.exec.fills', 'dlq.exec.intents'], deadLetterTopics: ['dlq.exec.intents'] };
    expect(findingsOf(evidence).notDeadLettered).toEqual(['dlq.exec.fills']);
  });
});

describe('ledgerSince', () => {
  it('keeps the orders and trades a venue made from a time on, the time itself included', () => {
    const ledger = { orders: [order('a', { createdAtMs: 999 }), order('b', { createdAtMs: 1_000 })], trades: [trade('a', { atMs: 999 }), trade('b', { atMs: 1_500 })] };
    const since = ledgerSince(ledger, 1_000);
    expect(since.orders.map(({ orderId }) => orderId)).toEqual(['o-b']);
    expect(since.trades.map(({ tradeId }) => tradeId)).toEqual(['t-b']);
  });
});

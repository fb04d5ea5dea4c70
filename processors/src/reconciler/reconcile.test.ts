import {
  Decimal,
  type Fill,
  type OrderEvent,
  type VenueSnapshot,
  type VenueTrade,
} from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { AccountView } from './AccountView.ts';
import { reconcile } from './reconcile.ts';

const NOW = 1_800_000_000_000;
const policy = { graceMs: 2_000, maxSnapshotAgeMs: 30_000, balanceTolerance: new Decimal('0.00000001') };
const base = { venue: 'binance', account: 'acct-1', portfolio: 'desk-1' };

function order(clientOrderId: string, state: OrderEvent['state'], filled: string, remaining: string, atMs = NOW - 60_000): OrderEvent {
  return {
    ...base, eventId: `e-${clientOrderId}-${state}`, clientOrderId, venueOrderId: `v-${clientOrderId}`, intentId: `i-${clientOrderId}`,
    instrument: 'BTC/USDT', side: 'BUY', previousState: 'PENDING_NEW', state, event: 'ACCEPTED', rawVenueStatus: 'NEW',
    filledQuantity: filled, remainingQuantity: remaining, limitPrice: '100', averagePrice: null, reason: null, venueTimeMs: atMs,
    receivedAtMs: atMs, source: 'VENUE',
  };
}

function trade(id: string, clientOrderId: string, quantity: string, atMs = NOW - 30_000, instrument = 'BTC/USDT', side: 'BUY' | 'SELL' = 'BUY'): VenueTrade {
  return { venueTradeId: id, clientOrderId, venueOrderId: `v-${clientOrderId}`, instrument, side, price: '100', quantity, fee: '0.01', feeCurrency: 'USDT', liquidity: 'TAKER', venueTimeMs: atMs };
}

function fillOf(t: VenueTrade): Fill {
  return { ...base, ...t, eventId: `f-${t.venueTradeId}`, clientOrderId: t.clientOrderId ?? '', intentId: null, receivedAtMs: t.venueTimeMs, source: 'VENUE' };
}

function snapshot(parts: Partial<VenueSnapshot>): VenueSnapshot {
  return { ...base, eventId: `s-${Math.random()}`, openOrders: [], balances: [], positions: [], trades: [], tradesSinceMs: 0, venueTimeMs: NOW - 100, receivedAtMs: NOW - 50, ...parts };
}

describe('reconcile: the venue wins', () => {
  it('turns a fill the venue made but we never received into a synthetic fill, and closes the order it completed', () => {
    const view = new AccountView();
    view.applyOrderEvent(order('o1', 'PARTIALLY_FILLED', '0.4', '0.6'));
    view.applyFill(fillOf(trade('t1', 'o1', '0.4')));

    const findings = reconcile(snapshot({ trades: [trade('t1', 'o1', '0.4'), trade('t2', 'o1', '0.6')] }), view, policy, NOW);

    expect(findings.fills).toEqual([expect.objectContaining({ venueTradeId: 't2', quantity: '0.6', source: 'RECONCILIATION', intentId: 'i-o1' })]);
    expect(findings.orderEvents).toEqual([expect.objectContaining({ clientOrderId: 'o1', previousState: 'PARTIALLY_FILLED', state: 'FILLED', filledQuantity: '1', source: 'RECONCILIATION' })]);
    expect(findings.discrepancies.map((d) => d.kind)).toEqual(['QUANTITY_MISMATCH', 'ORDER_MISSING_AT_VENUE']);
    expect(findings.alerts).toHaveLength(2);
    // Reconciling the same snapshot again changes nothing more: the synthetic fill is now applied.
    expect(reconcile(snapshot({ trades: [trade('t1', 'o1', '0.4'), trade('t2', 'o1', '0.6')] }), view, policy, NOW).fills).toEqual([]);
  });

  it("attributes a missed trade the venue lists without our client order id (Binance's trade list) to our order by its venue order id", () => {
    const view = new AccountView();
    view.applyOrderEvent(order('o9', 'NEW', '0', '1'));
    const findings = reconcile(snapshot({ trades: [{ ...trade('t9', 'o9', '1'), clientOrderId: null }] }), view, policy, NOW);
    expect(findings.fills).toEqual([expect.objectContaining({ venueTradeId: 't9', clientOrderId: 'o9', venueOrderId: 'v-o9', intentId: 'i-o9', source: 'RECONCILIATION' })]);
  });

  it('leaves venue data younger than the grace period alone: it may still be on its way', () => {
    const view = new AccountView();
    view.applyOrderEvent(order('o2', 'NEW', '0', '1', NOW - 500));
    const findings = reconcile(snapshot({ trades: [trade('t3', 'o2', '1', NOW - 500)] }), view, policy, NOW);
    expect(findings).toEqual({ discrepancies: [], fills: [], orderEvents: [], alerts: [] });
  });

  it('adopts an order open at the venue that we do not know, loudly', () => {
    const findings = reconcile(
      snapshot({ openOrders: [{ clientOrderId: 'foreign', venueOrderId: '77', instrument: 'BTC/USDT', side: 'SELL', quantity: '2', filledQuantity: '0.5', limitPrice: '101', rawVenueStatus: 'PARTIALLY_FILLED' }] }),
      new AccountView(),
      policy,
      NOW,
    );
    expect(findings.orderEvents).toEqual([expect.objectContaining({ clientOrderId: 'foreign', state: 'PARTIALLY_FILLED', remainingQuantity: '1.5', rawVenueStatus: 'PARTIALLY_FILLED' })]);
    expect(findings.discrepancies[0]).toMatchObject({ kind: 'UNKNOWN_ORDER_AT_VENUE', subject: 'foreign', venueValue: '2' });
    expect(findings.alerts[0]).toMatchObject({ severity: 'CRITICAL', code: 'UNKNOWN_ORDER_AT_VENUE', component: 'reconciler' });
  });

  it('sets the filled quantity of an open order to what the venue reports', () => {
    const view = new AccountView();
    view.applyOrderEvent(order('o4', 'NEW', '0', '1'));
    const findings = reconcile(
      snapshot({ openOrders: [{ clientOrderId: 'o4', venueOrderId: 'v-o4', instrument: 'BTC/USDT', side: 'BUY', quantity: '1', filledQuantity: '0.25', limitPrice: '100', rawVenueStatus: 'PARTIALLY_FILLED' }] }),
      view,
      policy,
      NOW,
    );
    expect(findings.discrepancies).toEqual([expect.objectContaining({ kind: 'QUANTITY_MISMATCH', subject: 'o4', internalValue: '0', venueValue: '0.25' })]);
    expect(findings.orderEvents[0]).toMatchObject({ previousState: 'NEW', state: 'PARTIALLY_FILLED', filledQuantity: '0.25' });
  });

  it('cancels an open order the venue no longer lists, and rejects a submit it never saw', () => {
    const view = new AccountView();
    view.applyOrderEvent(order('rested', 'NEW', '0', '1'));
    view.applyOrderEvent(order('lost', 'UNKNOWN', '0', '1'));
    const findings = reconcile(snapshot({}), view, policy, NOW);
    const byOrder = new Map(findings.orderEvents.map((e) => [e.clientOrderId, e]));
    expect(byOrder.get('rested')).toMatchObject({ state: 'CANCELED', event: 'CANCELED', reason: 'not open at the venue' });
    expect(byOrder.get('lost')).toMatchObject({ previousState: 'UNKNOWN', state: 'REJECTED', event: 'NOT_FOUND' });
    expect(findings.discrepancies.every((d) => d.kind === 'ORDER_MISSING_AT_VENUE')).toBe(true);
  });

  it('reports a stale snapshot and acts on nothing in it', () => {
    const view = new AccountView();
    view.applyOrderEvent(order('o5', 'NEW', '0', '1'));
    const findings = reconcile(snapshot({ receivedAtMs: NOW - 60_000, trades: [trade('t9', 'o5', '1')] }), view, policy, NOW);
    expect(findings.discrepancies.map((d) => d.kind)).toEqual(['STALE_VENUE']);
    expect([findings.fills, findings.orderEvents]).toEqual([[], []]);
  });

  it('brings a derivatives position to the venue\'s with a synthetic fill of the difference', () => {
    const view = new AccountView();
    view.applyFill(fillOf(trade('p1', 'o6', '0.5', NOW - 60_000, 'BTC/USDT:USDT')));
    const findings = reconcile(snapshot({ positions: [{ instrument: 'BTC/USDT:USDT', quantity: '-0.25', entryPrice: '99', markPrice: '100.5', unrealizedPnl: null, margin: null }] }), view, policy, NOW);
    expect(findings.fills).toEqual([expect.objectContaining({ side: 'SELL', quantity: '0.75', price: '100.5', source: 'RECONCILIATION' })]);
    expect(findings.discrepancies[0]).toMatchObject({ kind: 'POSITION_MISMATCH', internalValue: '0.5', venueValue: '-0.25' });
    expect(view.netQuantity.get('BTC/USDT:USDT')?.toFixed()).toBe('-0.25');
  });

  it('expects spot balances from the last snapshot plus our fills, and reports the asset that differs', () => {
    const view = new AccountView();
    const balances = (btc: string, usdt: string) => [
      { asset: 'BTC', free: btc, locked: '0', total: btc },
      { asset: 'USDT', free: usdt, locked: '0', total: usdt },
    ];
    expect(reconcile(snapshot({ balances: balances('1', '1000'), venueTimeMs: NOW - 10_000 }), view, policy, NOW).discrepancies).toEqual([]);
    view.applyFill(fillOf(trade('b1', 'o7', '0.5', NOW - 5_000)));
    // Bought 0.5 BTC at 100 for 50 USDT plus a 0.01 USDT fee.
    expect(reconcile(snapshot({ balances: balances('1.5', '949.99') }), view, policy, NOW).discrepancies).toEqual([]);
    const findings = reconcile(snapshot({ balances: balances('1.5', '900') }), view, policy, NOW);
    expect(findings.discrepancies).toEqual([expect.objectContaining({ kind: 'BALANCE_MISMATCH', subject: 'USDT', internalValue: '949.99', venueValue: '900' })]);
  });
});

import { transition, type OrderEventType, type OrderState } from '@crossvenue/schemas';
import type { Order } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { orderEvidence } from './orderEvidence.ts';
import { capabilitiesOf } from '../venues/capabilitiesOf.ts';

/** The state an order waiting for its acknowledgement reaches on this evidence, through the transition table. */
const fromPendingNew = (event: OrderEventType, filled: number): OrderState | undefined => {
  const next = transition('PENDING_NEW', event, filled > 0);
  return next.ok ? next.state : undefined;
};
const order = (fields: Partial<Order>): Order => ({ id: '7', amount: 1, filled: 0, remaining: 1, price: 100, info: {}, ...fields }) as Order;

describe('orderEvidence', () => {
  const binance = capabilitiesOf('binance');
  const bybit = capabilitiesOf('bybit');

  it.each([
    ['open', 0, { status: 'NEW' }, 'ACCEPTED', 'NEW', 'NEW'],
    ['open', 0.4, { status: 'PARTIALLY_FILLED' }, 'PARTIALLY_FILLED', 'PARTIALLY_FILLED', 'PARTIALLY_FILLED'],
    ['closed', 1, { X: 'FILLED' }, 'FILLED', 'FILLED', 'FILLED'],
    ['expired', 0.4, { status: 'EXPIRED_IN_MATCH' }, 'EXPIRED', 'EXPIRED', 'EXPIRED_IN_MATCH'],
    ['canceled', 0, { status: 'CANCELED' }, 'CANCELED', 'CANCELED', 'CANCELED'],
    ['rejected', 0, { status: 'REJECTED' }, 'REJECTED', 'REJECTED', 'REJECTED'],
  ] as const)('Binance %s with %s filled (%o) is %s -> %s, raw %s kept', (status, filled, info, event, state, raw) => {
    const evidence = orderEvidence(order({ status, filled, info }), binance);
    expect([evidence.event, fromPendingNew(evidence.event, filled), evidence.rawVenueStatus]).toEqual([event, state, raw]);
  });

  it("keeps Bybit's PartiallyFilledCanceled beside CANCELED, with nothing left open", () => {
    const evidence = orderEvidence(order({ status: 'canceled', filled: 0.3, remaining: 0.7, average: 101, info: { orderStatus: 'PartiallyFilledCanceled' } }), bybit);
    expect(evidence).toMatchObject({ event: 'CANCELED', rawVenueStatus: 'PartiallyFilledCanceled', filledQuantity: '0.3', averagePrice: '101' });
  });

  it("keeps Bybit's PartiallyFilledCanceled a cancellation although ccxt calls it closed", () => {
    const evidence = orderEvidence(order({ status: 'closed', amount: 1.2, filled: 0.075, remaining: 1.125, average: 64000, info: { orderStatus: 'PartiallyFilledCanceled' } }), bybit);
    expect(evidence).toMatchObject({ event: 'CANCELED', rawVenueStatus: 'PartiallyFilledCanceled', filledQuantity: '0.075' });
  });

  it('an acknowledgement that carries only ids is ACCEPTED', () => {
    const evidence = orderEvidence(order({ status: undefined, filled: undefined, info: { orderId: '7', orderLinkId: 'x' } }), bybit);
    expect(evidence).toMatchObject({ event: 'ACCEPTED', rawVenueStatus: 'ACKNOWLEDGED', idsOnly: true, venueOrderId: '7' });
  });
});

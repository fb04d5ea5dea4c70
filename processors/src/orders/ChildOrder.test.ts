import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { applyChildFill, applyOrderEvent, filledQuantity, newChildOrder, possibleFill, type ChildFill, type ChildOrder } from './ChildOrder.ts';
import { rollUpIntent } from './intentRollUp.ts';

const d = (value: string) => new Decimal(value);

function child(leg: number, quantity: string, venue = 'binance'): ChildOrder {
  return newChildOrder({
    clientOrderId: `c${leg}`,
    intentId: 'i1',
    leg,
    attempt: 0,
    venue,
    account: 'main',
    side: 'BUY',
    quantity: d(quantity),
    limitPrice: d('100'),
  });
}

function fill(id: string, price: string, quantity: string, fee = '0.01', feeCurrency = 'USDT'): ChildFill {
  return { venueTradeId: id, price: d(price), quantity: d(quantity), fee: d(fee), feeCurrency };
}

function step(order: ChildOrder, ...events: Parameters<typeof applyOrderEvent>[1][]): ChildOrder {
  return events.reduce((current, event) => {
    const result = applyOrderEvent(current, event);
    if (!result.ok) throw result.error;
    return result.order;
  }, order);
}

describe('a child order', () => {
  it('starts PENDING_NEW and follows the table', () => {
    const order = step(child(0, '2'), 'SUBMITTED', 'ACCEPTED');
    expect(order.state).toBe('NEW');
  });

  it('returns an invalid transition with the order unchanged', () => {
    const order = step(child(0, '2'), 'SUBMITTED', 'ACCEPTED', 'CANCEL_REQUESTED', 'CANCELED');
    const result = applyOrderEvent(order, 'AMEND_ACCEPTED');
    expect(result.ok).toBe(false);
    expect(result.order).toBe(order);
  });

  it('goes back to PARTIALLY_FILLED, not NEW, when a cancel is rejected after a fill', () => {
    let order = step(child(0, '2'), 'SUBMITTED', 'ACCEPTED', 'CANCEL_REQUESTED');
    const filled = applyOrderEvent(order, 'PARTIALLY_FILLED', d('0.5'));
    order = filled.order;
    expect(order.state).toBe('PENDING_CANCEL');
    expect(step(order, 'CANCEL_REJECTED').state).toBe('PARTIALLY_FILLED');
  });

  it('applies a fill once however often it is delivered', () => {
    let order = child(0, '2');
    for (let i = 0; i < 3; i++) order = applyChildFill(order, fill('t1', '100', '0.5'));
    expect(filledQuantity(order).toString()).toBe('0.5');
  });

  it('never lowers the reported cumulative fill when reports arrive out of order', () => {
    let order = step(child(0, '2'), 'SUBMITTED', 'ACCEPTED');
    order = applyOrderEvent(order, 'PARTIALLY_FILLED', d('1.5')).order;
    order = applyOrderEvent(order, 'PARTIALLY_FILLED', d('0.5')).order;
    expect(filledQuantity(order).toString()).toBe('1.5');
  });

  it('counts an UNKNOWN order as possibly filled in full, and a terminal one as what filled', () => {
    const unknown = step(child(0, '2'), 'SUBMITTED', 'SUBMIT_UNKNOWN');
    expect(possibleFill(unknown).toString()).toBe('2');
    const canceled = applyOrderEvent(step(unknown, 'ACCEPTED', 'CANCEL_REQUESTED'), 'CANCELED', d('0.3')).order;
    expect(possibleFill(canceled).toString()).toBe('0.3');
  });
});

describe('the intent roll-up', () => {
  it('sums fills, averages prices by volume, keeps fees per currency', () => {
    let a = step(child(0, '1'), 'SUBMITTED', 'ACCEPTED', 'FILLED');
    a = applyChildFill(applyChildFill(a, fill('t1', '100', '0.4', '0.04')), fill('t2', '101', '0.6', '0.0006', 'BNB'));
    let b = step(child(1, '1', 'okx'), 'SUBMITTED', 'ACCEPTED');
    b = applyChildFill(applyOrderEvent(b, 'PARTIALLY_FILLED', d('0.5')).order, fill('t1', '102', '0.5', '0.05'));
    const c = step(child(2, '0.5', 'kraken'), 'SUBMITTED', 'SUBMIT_UNKNOWN');

    const rollUp = rollUpIntent(d('3'), [a, b, c]);
    expect(rollUp.filledQuantity.toString()).toBe('1.5');
    expect(rollUp.averagePrice?.toString()).toBe(d('100').times('0.4').plus(d('101').times('0.6')).plus(d('102').times('0.5')).div('1.5').toString());
    expect(Object.fromEntries([...rollUp.feesByCurrency].map(([k, v]) => [k, v.toString()]))).toEqual({ USDT: '0.09', BNB: '0.0006' });
    expect(rollUp.remainingQuantity.toString()).toBe('1.5');
    expect(rollUp.workingQuantity.toString()).toBe('1');
    expect(rollUp.unknownQuantity.toString()).toBe('0.5');
    expect(rollUp.terminal).toBe(false);
  });

  it('is terminal once every child is, and has no average price before a fill', () => {
    const rejected = step(child(0, '1'), 'SUBMITTED', 'REJECTED');
    const rollUp = rollUpIntent(d('1'), [rejected]);
    expect(rollUp).toMatchObject({ terminal: true, averagePrice: null });
    expect(rollUp.remainingQuantity.toString()).toBe('1');
    expect(rollUpIntent(d('1'), []).terminal).toBe(false);
  });
});

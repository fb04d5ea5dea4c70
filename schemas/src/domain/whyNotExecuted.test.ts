import { describe, expect, it } from 'vitest';
import type { IntentOrder } from '../messages/Intent.ts';
import { whyNotExecuted } from './whyNotExecuted.ts';

const limitBuy: IntentOrder = {
  side: 'BUY',
  amount: '0.5',
  amountType: 'BASE',
  limitPrice: '30000',
  timeInForce: 'GTC',
  expireAtMs: null,
  postOnly: true,
  reduceOnly: true,
  trigger: null,
  icebergQuantity: null,
};
const TWAP = { type: 'TWAP' as const, durationMs: 60_000, sliceIntervalMs: 6_000 };
const order = (changes: Partial<IntentOrder>) => ({ kind: 'ORDER' as const, order: { ...limitBuy, ...changes } });

describe('whyNotExecuted', () => {
  it.each([
    ['a post-only reduce-only GTC limit order', order({})],
    ['a market order', order({ limitPrice: null, timeInForce: 'IOC', postOnly: false })],
    ['a FOK limit order', order({ timeInForce: 'FOK', postOnly: false })],
    ['a quote amount', order({ amountType: 'QUOTE' })],
    ['a DAY order', order({ timeInForce: 'DAY' })],
    ['a GTD order', order({ timeInForce: 'GTD', expireAtMs: 1_900_000_000_000 })],
    ['an order group member', { kind: 'ORDER_GROUP' as const, order: limitBuy }],
    ['a CANCEL, which carries no order', { kind: 'ORDER' as const, order: null }],
    ['a target position', { kind: 'TARGET_POSITION' as const, order: null }],
    ['a stop', order({ trigger: { type: 'STOP', triggerPrice: '29000' } })],
    ['a GTC iceberg', order({ icebergQuantity: '0.1' })],
    ['a TWAP', { ...order({ postOnly: false }), algo: TWAP }],
    ['a take-profit market order', order({ limitPrice: null, timeInForce: 'IOC', postOnly: false, trigger: { type: 'TAKE_PROFIT', triggerPrice: '31000' } })],
  ])('lets %s through', (_name, intent) => {
    expect(whyNotExecuted(intent)).toBeNull();
  });

  it.each([
    ['a quote amount fill-or-kill', order({ amountType: 'QUOTE', timeInForce: 'FOK', postOnly: false }), 'order.timeInForce', 'FOK needs a BASE amount'],
    ['an IOC iceberg', order({ icebergQuantity: '0.1', timeInForce: 'IOC', postOnly: false }), 'order.timeInForce', 'an iceberg rests in slices'],
    ['an iceberg in the quote currency', order({ icebergQuantity: '0.1', amountType: 'QUOTE' }), 'order.amountType', 'an iceberg needs a BASE amount'],
    ['an IOC TWAP', { ...order({ timeInForce: 'IOC', postOnly: false }), algo: TWAP }, 'order.timeInForce', 'a TWAP runs for its durationMs'],
    ['a post-only TWAP', { ...order({}), algo: TWAP }, 'order.postOnly', "a TWAP's slices take liquidity"],
    ['a TWAP of an iceberg', { ...order({ postOnly: false, icebergQuantity: '0.1' }), algo: TWAP }, 'order.icebergQuantity', 'an iceberg quantity is not executed with it'],
    ['a target position with an algo', { kind: 'TARGET_POSITION' as const, order: null, algo: TWAP }, 'algo', 'an execution algorithm runs an ORDER intent'],
  ])('refuses %s, naming the field and why in one line', (_name, intent, field, reason) => {
    const refusal = whyNotExecuted(intent);
    expect(refusal?.field).toBe(field);
    expect(refusal?.reason).toContain(reason);
    expect(refusal?.reason).not.toContain('\n');
  });
});

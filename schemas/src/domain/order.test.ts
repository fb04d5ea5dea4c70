import { describe, expect, it } from 'vitest';
import type { IntentOrder } from '../messages/Intent.ts';
import { formatDecimal } from './decimal.ts';
import { InvalidInputError } from './errors.ts';
import { orderTypeOf, parseIntentOrder, toIntentOrder } from './order.ts';

const wire: IntentOrder = {
  side: 'SELL',
  amount: '0.25000',
  amountType: 'BASE',
  limitPrice: '29100.50',
  timeInForce: 'GTD',
  expireAtMs: 1_652_462_596_000,
  postOnly: false,
  reduceOnly: true,
  trigger: { type: 'STOP', triggerPrice: '29000' },
  icebergQuantity: '0.05',
};

describe('standard order', () => {
  it('parses the wire order into exact values and writes it back in canonical form', () => {
    const order = parseIntentOrder('BTC/USDT', wire);
    expect(order.instrument).toBe('BTC/USDT');
    expect(formatDecimal(order.amount)).toBe('0.25');
    expect(formatDecimal(order.trigger!.triggerPrice)).toBe('29000');
    expect(toIntentOrder(order)).toEqual({ ...wire, amount: '0.25', limitPrice: '29100.5' });
  });

  it('keeps nulls null', () => {
    const marketOrder = { ...wire, limitPrice: null, trigger: null, icebergQuantity: null, timeInForce: 'IOC', expireAtMs: null } as const;
    expect(toIntentOrder(parseIntentOrder('BTC/USDT', marketOrder))).toEqual({ ...marketOrder, amount: '0.25' });
  });

  it('refuses a non-decimal amount or a bad symbol, saying where', () => {
    expect(() => parseIntentOrder('BTC/USDT', { ...wire, amount: '1e3' })).toThrow(
      new InvalidInputError('order BTC/USDT amount: "1e3" is not a decimal'),
    );
    expect(() => parseIntentOrder('BTCUSDT', wire)).toThrow(InvalidInputError);
  });

  it.each([
    [null, null, 'MARKET'],
    ['1', null, 'LIMIT'],
    [null, 'STOP', 'STOP_MARKET'],
    ['1', 'STOP', 'STOP_LIMIT'],
    [null, 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET'],
    ['1', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'],
  ] as const)('limit %s and trigger %s need a %s order', (limitPrice, trigger, type) => {
    const order = parseIntentOrder('BTC/USDT', { ...wire, limitPrice, trigger: trigger && { type: trigger, triggerPrice: '1' } });
    expect(orderTypeOf(order)).toBe(type);
  });
});

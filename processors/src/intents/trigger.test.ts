import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { triggerCrossed } from './trigger.ts';

describe('triggerCrossed', () => {
  it.each([
    ['STOP', 'SELL', '94.99', true],
    ['STOP', 'SELL', '95', true],
    ['STOP', 'SELL', '95.01', false],
    ['STOP', 'BUY', '95', true],
    ['STOP', 'BUY', '94.99', false],
    ['TAKE_PROFIT', 'SELL', '95', true],
    ['TAKE_PROFIT', 'SELL', '94.99', false],
    ['TAKE_PROFIT', 'BUY', '94.99', true],
    ['TAKE_PROFIT', 'BUY', '95.01', false],
  ] as const)('a %s %s at 95 with the market at %s: %s', (type, side, price, fires) => {
    expect(triggerCrossed({ side, trigger: { type, triggerPrice: new Decimal('95') } }, new Decimal(price))).toBe(fires);
  });

  it('never fires an order without a trigger', () => {
    expect(triggerCrossed({ side: 'BUY', trigger: null }, new Decimal('1'))).toBe(false);
  });
});

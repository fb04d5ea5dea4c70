import type { Decimal, StandardOrder } from '@crossvenue/schemas';

/**
 * Whether the market at `price` fires the order's trigger. A STOP fires when the price moves
 * against the position it protects or through a breakout: a BUY stop at or above its price, a SELL
 * stop at or below. A TAKE_PROFIT fires the other way: a BUY at or below, a SELL at or above.
 * False for an order without a trigger.
 */
export function triggerCrossed(order: Pick<StandardOrder, 'side' | 'trigger'>, price: Decimal): boolean {
  const { trigger } = order;
  if (trigger === null) return false;
  const risesThrough = (trigger.type === 'STOP') === (order.side === 'BUY');
  return risesThrough ? price.gte(trigger.triggerPrice) : price.lte(trigger.triggerPrice);
}

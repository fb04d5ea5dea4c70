import { Decimal } from '@crossvenue/schemas';
import type { PositionState } from './PositionState.ts';

/** Unrealized PnL in the quote currency at `mark`: quantity x (mark - entry); zero when flat. Linear contracts only. */
export function unrealizedPnl(position: PositionState, mark: Decimal): Decimal {
  if (position.averageEntryPrice === null) return new Decimal(0);
  return position.quantity.times(mark.minus(position.averageEntryPrice));
}

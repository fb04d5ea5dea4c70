import {
  formatDecimal,
  formatNullableDecimal,
  parseSymbol,
  type Decimal,
  type Position,
} from '@crossvenue/schemas';
import { positionKey } from './PositionFill.ts';
import { unrealizedPnl } from './markToMarket.ts';
import type { PositionState } from './PositionState.ts';

/**
 * The wire form of a position. The event id is the key and the number of distinct fills folded:
 * one partition delivers a position's fills in one order, so a worker that replays the log after a
 * crash republishes the same state under the same id, and the audit log keeps it once.
 */
export function toPositionMessage(position: PositionState, mark: Decimal | null = null): Position {
  const last = position.lastFill;
  return {
    eventId: `position:${positionKey(position)}:${position.fillCount}`,
    portfolio: position.portfolio,
    account: position.account,
    venue: position.venue,
    instrument: position.instrument,
    quantity: formatDecimal(position.quantity),
    averageEntryPrice: formatNullableDecimal(position.averageEntryPrice),
    realizedPnl: formatDecimal(position.realizedPnl),
    unrealizedPnl: mark === null ? null : formatDecimal(unrealizedPnl(position, mark)),
    markPrice: formatNullableDecimal(mark),
    quoteCurrency: parseSymbol(position.instrument).quote,
    fees: [...position.fees].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, amount]) => ({ currency, amount: formatDecimal(amount) })),
    lastFill: last && { venue: last.venue, account: last.account, venueTradeId: last.tradeId },
    // The venue time of the latest fill in canonical order: the same on every replay.
    updatedAtMs: last?.venueTimeMs ?? 0,
  };
}

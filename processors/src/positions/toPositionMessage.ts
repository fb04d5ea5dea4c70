import { formatDecimal, formatNullableDecimal, parseSymbol, type Position } from '@crossvenue/schemas';
import { positionKey } from './PositionFill.ts';
import { unrealizedPnl } from './markToMarket.ts';
import type { PositionState } from './PositionState.ts';
import type { VenueFigures } from './VenueFigures.ts';

/**
 * The wire form of a position, with the venue's figures of a derivative when there are any (its
 * mark and margin; the unrealized PnL is ours, from our fills at that mark). The event id is the
 * key and the number of distinct fills folded (and of funding payments, when there are any; and
 * the receive time of the venue snapshot the figures come from, when there are any):
 * one partition delivers a position's fills in one order, so a worker that replays the log after a
 * crash republishes the same state under the same id, and the audit log keeps it once.
 */
export function toPositionMessage(position: PositionState, venue: VenueFigures | null = null): Position {
  const last = position.lastFill;
  const mark = venue?.markPrice ?? null;
  return {
    // Funding payments count too, once there are any: a payment changes the position without a fill; so do the venue's figures.
    eventId: `position:${positionKey(position)}:${position.fillCount}${position.fundingCount > 0 ? `+${position.fundingCount}` : ''}${venue ? `@${venue.reportedAtMs}` : ''}`,
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
    funding: formatDecimal(position.funding),
    margin: venue?.margin ?? null,
    lastFill: last && { venue: last.venue, account: last.account, venueTradeId: last.tradeId },
    // The venue time of the latest fill in canonical order or funding payment: the same on every replay.
    updatedAtMs: Math.max(last?.venueTimeMs ?? 0, position.lastFundingMs),
  };
}

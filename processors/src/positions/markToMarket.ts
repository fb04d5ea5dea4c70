import { Decimal, parseDecimal, type BookSnapshot } from '@crossvenue/schemas';
import type { PositionState } from './PositionState.ts';

/** Unrealized PnL in the quote currency at `mark`: quantity x (mark - entry); zero when flat. Linear contracts only. */
export function unrealizedPnl(position: PositionState, mark: Decimal): Decimal {
  if (position.averageEntryPrice === null) return new Decimal(0);
  return position.quantity.times(mark.minus(position.averageEntryPrice));
}

/** The mark of a book: the mid of the best bid and ask; null when either side is empty (no fair mark). */
export function midPrice(book: Pick<BookSnapshot, 'bids' | 'asks' | 'venue' | 'instrument'>): Decimal | null {
  const bid = book.bids[0];
  const ask = book.asks[0];
  if (!bid || !ask) return null;
  const where = `${book.venue} ${book.instrument} book`;
  return parseDecimal(bid.price, `${where} best bid`).plus(parseDecimal(ask.price, `${where} best ask`)).dividedBy(2);
}

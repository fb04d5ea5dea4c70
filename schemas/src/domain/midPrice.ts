import type { BookSnapshot } from '../messages/BookSnapshot.ts';
import { parseDecimal, type Decimal } from './decimal.ts';

/**
 * The last mark computed, by the best bid and ask as written. The execution worker marks every
 * book once per partition it holds (six in a backtest), and the same book's mid made anew each
 * time was a tenth of a backtest's execution side; a Decimal never changes, so it can be handed out again.
 */
let last: { bid: string; ask: string; mid: Decimal } | undefined;

/** The mark of a book: the mid of the best bid and ask; null when either side is empty (no fair mark). */
export function midPrice(book: Pick<BookSnapshot, 'bids' | 'asks' | 'venue' | 'instrument'>): Decimal | null {
  const bid = book.bids[0];
  const ask = book.asks[0];
  if (!bid || !ask) return null;
  if (last?.bid === bid.price && last.ask === ask.price) return last.mid;
  const where = `${book.venue} ${book.instrument} book`;
  const mid = parseDecimal(bid.price, `${where} best bid`).plus(parseDecimal(ask.price, `${where} best ask`)).dividedBy(2);
  last = { bid: bid.price, ask: ask.price, mid };
  return mid;
}

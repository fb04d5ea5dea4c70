import type { BookSnapshot } from '../messages/BookSnapshot.ts';
import { parseDecimal, type Decimal } from './decimal.ts';

/** The mark of a book: the mid of the best bid and ask; null when either side is empty (no fair mark). */
export function midPrice(book: Pick<BookSnapshot, 'bids' | 'asks' | 'venue' | 'instrument'>): Decimal | null {
  const bid = book.bids[0];
  const ask = book.asks[0];
  if (!bid || !ask) return null;
  const where = `${book.venue} ${book.instrument} book`;
  return parseDecimal(bid.price, `${where} best bid`).plus(parseDecimal(ask.price, `${where} best ask`)).dividedBy(2);
}

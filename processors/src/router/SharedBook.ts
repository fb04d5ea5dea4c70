import { Decimal } from '@crossvenue/schemas';
import { capacityFrom, depthWithin, type PreparedVenue } from './PreparedVenue.ts';

const ZERO = new Decimal(0);
const NOTHING: Stretch = { from: ZERO, quantity: ZERO };

/** Part of a venue's book: `quantity` (base) from `from`, the base quantity above it, on. */
export interface Stretch {
  from: Decimal;
  quantity: Decimal;
}

/**
 * Where in its venue's book each usable account may take liquidity: its window, within the limit
 * and its capacity (balance, max quantity); unusable accounts get none. The venue fills each unit
 * of its book once, whichever account asks, so the accounts on one venue get disjoint windows of
 * the one book rather than a copy each: the account with the lowest fee and penalties gets the
 * best levels up to its capacity, the next cheapest a window starting where that one ends, and so
 * on. Each window is priced with its own account's fee and penalties; down the book neither the
 * price nor the markup improves, so a cost-minimal split over the windows fills them in order.
 *
 * Cheapest first is a rule, not a proven optimum: where the cheaper account's capacity binds,
 * giving it the dearer levels instead could save up to the markup difference times the price
 * spread between the levels swapped.
 */
export function windowsOf(venues: readonly PreparedVenue[], usable: readonly boolean[], limit: Decimal | null): Stretch[] {
  const accounts = new Map<string, number[]>();
  venues.forEach((venue, v) => {
    if (!usable[v]) return;
    const same = accounts.get(venue.candidate.venue);
    if (same) same.push(v);
    else accounts.set(venue.candidate.venue, [v]);
  });
  const windows = venues.map(() => NOTHING);
  for (const members of accounts.values()) {
    members.sort((a, b) => venues[a]!.markup.comparedTo(venues[b]!.markup));
    let from = ZERO;
    let room = depthWithin(venues[members[0]!]!, limit);
    members.forEach((v, m) => {
      // The first account's prepared capacity already counts from the top of the book.
      const quantity = Decimal.min(room, m === 0 ? venues[v]!.capacity : capacityFrom(venues[v]!, from));
      windows[v] = { from, quantity };
      if (m < members.length - 1) [from, room] = [from.plus(quantity), room.minus(quantity)];
    });
  }
  return windows;
}

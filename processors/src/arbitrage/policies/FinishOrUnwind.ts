import type { Decimal, Side } from '@crossvenue/schemas';
import { walkBook } from '../bookWalk.ts';
import type { GroupEnvironment, UnwindLimits } from '../OrderGroup.ts';
import { lotsOf, tradable, type SpotSpread } from '../spotSpread.ts';
import { BothIoc } from './BothIoc.ts';

export interface FinishTerms {
  finishWithinMs: number;
  /** The configured venues: a retry may go to any of them but the other side's. */
  venues: readonly string[];
}

/**
 * FINISH_OR_UNWIND: both legs at once as BOTH_IOC does; then, while `finishWithinMs` has not
 * passed since the group opened, the side that is behind is sent again (RETRY) for what it
 * lacks, at its entry limit, on its own venue if that still offers the price, else on another
 * configured venue that does (never the other side's), each time into a book newer than the
 * one its last try there ended at; with no venue offering it, it waits for the next book. After the deadline the other side's excess is unwound.
 */
export class FinishOrUnwind extends BothIoc {
  constructor(groupId: string, plan: SpotSpread, limits: UnwindLimits, env: GroupEnvironment, openedAtMs: number, private readonly finish: FinishTerms) {
    super(groupId, 'FINISH_OR_UNWIND', plan, limits, env, openedAtMs);
  }

  protected override async advance(): Promise<void> {
    if (this.working) return;
    const net = this.net;
    const late = this.env.now() - this.openedAtMs >= this.finish.finishWithinMs;
    if (net.isZero() || late) return this.unwindOrClose(late && !net.isZero() ? `${this.outcomes()}; not finished within ${this.finish.finishWithinMs} ms` : this.outcomes());
    const side: Side = net.gt(0) ? 'SELL' : 'BUY';
    const limitPrice = side === 'BUY' ? this.plan.buyLimit : this.plan.sellLimit;
    const retry = this.venueWithPrice(side, net.abs(), limitPrice);
    if (retry) await this.send({ role: 'RETRY', venue: retry.venue, side, quantity: retry.quantity, limitPrice, timeInForce: 'IOC', postOnly: false });
  }

  private venueWithPrice(side: Side, missing: Decimal, limitPrice: Decimal): { venue: string; quantity: Decimal } | null {
    const own = side === 'BUY' ? this.plan.buyVenue : this.plan.sellVenue;
    const other = side === 'BUY' ? this.plan.sellVenue : this.plan.buyVenue;
    for (const venue of [own, ...this.finish.venues.filter((candidate) => candidate !== own && candidate !== other)]) {
      const book = this.env.book(venue);
      const terms = this.env.terms(venue);
      if (!book || !terms || !this.freshBook(venue)) continue;
      const quantity = lotsOf(missing, [terms.quantityStep]);
      const offered = walkBook(side === 'BUY' ? book.asks : book.bids, side, quantity, limitPrice);
      if (quantity.gt(0) && offered.quantity.gte(quantity) && tradable(terms, quantity, limitPrice)) return { venue, quantity };
    }
    return null;
  }
}

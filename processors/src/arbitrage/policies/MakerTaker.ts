import { Decimal, type Side } from '@crossvenue/schemas';
import { BPS, opposite, throughPrice, walkBook } from '../bookWalk.ts';
import type { GroupLeg } from '../GroupLeg.ts';
import type { MakerQuote } from '../makerQuote.ts';
import { OrderGroup, type GroupEnvironment, type UnwindLimits } from '../OrderGroup.ts';
import { lotsOf, tradable } from '../spotSpread.ts';

export interface MakerTerms {
  /** How long the maker order rests before it is cancelled (and between cancel requests that went unanswered). */
  restMs: number;
  minEdgeBps: Decimal;
  legSlippageBps: Decimal;
}

/**
 * MAKER_TAKER: a post-only GTC order (ENTRY) rests on the maker venue at the quote's price; every
 * fill of it is hedged at once by an IOC on the taker venue (HEDGE), limit the taker book's worst
 * level for that quantity plus `legSlippageBps`. The maker order is cancelled once it has rested
 * `restMs`, or as soon as the taker book no longer leaves `minEdgeBps` for what is still unfilled.
 * A fill that arrives after the cancel was asked for (the venue filled it before the cancel got
 * there) is hedged like any other: hedging follows fills, not the order's state. The group closes
 * once the maker intent has ended and every hedge has ended; an excess the hedges did not cover
 * is unwound on the maker venue.
 */
export class MakerTaker extends OrderGroup<MakerQuote> {
  private maker: GroupLeg | undefined;
  /** Base the hedges were sent for, so far. */
  private hedged = new Decimal(0);
  private cancel: { atMs: number; why: string } | null = null;

  constructor(groupId: string, quote: MakerQuote, limits: UnwindLimits, env: GroupEnvironment, openedAtMs: number, private readonly terms: MakerTerms) {
    super(groupId, 'MAKER_TAKER', quote, limits, env, openedAtMs);
  }

  protected async openLegs(): Promise<void> {
    const { makerVenue, makerSide, quantity, makerPrice } = this.plan;
    this.maker = await this.send({ role: 'ENTRY', venue: makerVenue, side: makerSide, quantity, limitPrice: makerPrice, timeInForce: 'GTC', postOnly: true });
  }

  protected async advance(): Promise<void> {
    const maker = this.maker;
    // Its placing failed (the bus refused the intent): nothing was sent, nothing can fill.
    if (!maker) return this.close('MISSED', 'the maker order could not be placed');
    await this.hedge(maker);
    if (!maker.ended) return this.cancelIfDue(maker);
    const why = this.cancel ? `${this.outcomes()}; maker cancelled: ${this.cancel.why}` : this.outcomes();
    await this.unwindOrClose(why);
  }

  /** Hedges what the maker has filled beyond what was hedged, in the taker venue's lots. */
  private async hedge(maker: GroupLeg): Promise<void> {
    const { takerVenue } = this.plan;
    const terms = this.env.terms(takerVenue);
    const quantity = lotsOf(maker.filled.minus(this.hedged), [terms?.quantityStep ?? null]);
    if (!terms || quantity.isZero()) return;
    const side = opposite(this.plan.makerSide);
    const book = this.env.book(takerVenue);
    const reached = book ? walkBook(side === 'SELL' ? book.bids : book.asks, side, quantity) : null;
    // With no book deep enough, the price the quote was made at bounds it: a hedge is sent regardless.
    const worst = reached?.quantity.gte(quantity) ? reached.worst! : side === 'SELL' ? this.plan.expectedSellPrice : this.plan.expectedBuyPrice;
    if (!tradable(terms, quantity, worst)) return;
    this.hedged = this.hedged.plus(quantity);
    await this.send({ role: 'HEDGE', venue: takerVenue, side, quantity, limitPrice: throughPrice(worst, side, this.terms.legSlippageBps, terms.priceTick), timeInForce: 'IOC', postOnly: false });
  }

  private async cancelIfDue(maker: GroupLeg): Promise<void> {
    const now = this.env.now();
    if (this.cancel) {
      // A cancel that got no answer (its intent has not ended) is asked for again, no faster than the rest time.
      if (now - this.cancel.atMs < this.terms.restMs) return;
      this.cancel.atMs = now;
      return this.env.cancel(maker.intentId);
    }
    const why = now - this.openedAtMs >= this.terms.restMs ? `rested ${this.terms.restMs} ms` : this.edgeGone(maker);
    if (why === null) return;
    this.cancel = { atMs: now, why };
    await this.env.cancel(maker.intentId);
  }

  /** Why the taker book no longer pays for the unfilled rest of the maker order; null while it does. */
  private edgeGone(maker: GroupLeg): string | null {
    const rest = maker.order.quantity.minus(maker.filled);
    const book = this.env.book(this.plan.takerVenue);
    const terms = this.env.terms(this.plan.takerVenue);
    const makerFee = this.env.terms(this.plan.makerVenue)?.makerFee;
    if (rest.lte(0) || !book || !terms || makerFee == null) return null;
    const side: Side = opposite(this.plan.makerSide);
    const reached = walkBook(side === 'SELL' ? book.bids : book.asks, side, rest);
    if (reached.quantity.lt(rest)) return `${this.plan.takerVenue} no longer has ${rest.toFixed()} to hedge with`;
    const hedge = reached.notional.dividedBy(rest);
    const price = this.plan.makerPrice;
    const [buy, sell, buyFee, sellFee] = side === 'SELL' ? [price, hedge, makerFee, terms.takerFee] : [hedge, price, terms.takerFee, makerFee];
    const edgeBps = sell.times(new Decimal(1).minus(sellFee)).minus(buy.times(buyFee.plus(1))).dividedBy(buy).times(BPS);
    return edgeBps.lt(this.terms.minEdgeBps) ? `${this.plan.takerVenue} moved: ${edgeBps.toDecimalPlaces(2).toFixed()} bps left, below ${this.terms.minEdgeBps.toFixed()}` : null;
  }
}

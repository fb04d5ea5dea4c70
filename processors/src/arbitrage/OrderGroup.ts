import { Decimal, formatDecimal, type ArbitrageGroup, type ArbitrageKind, type ArbitrageGroupState, type BookSnapshot, type Fill, type IntentStatus, type LegRiskPolicy, type Side } from '@crossvenue/schemas';
import type { Logger } from '@crossvenue/runtime';
import { opposite, throughPrice } from './bookWalk.ts';
import { GroupLeg, type LegOrder } from './GroupLeg.ts';
import { lotsOf, tradable, type SpotSpread } from './spotSpread.ts';

/** How many IOCs an unwind sends, each into a book newer than the last one's end, before it calls the group EXPOSED. */
export const UNWIND_ATTEMPTS = 3;

/** A venue whose book does not move (its stream is down) still gets the next try this long after the last ended. */
export const RETRY_PAUSE_MS = 1_000;

/** A venue's rules and fees for the instrument, as the group needs them. */
export interface VenueTerms {
  takerFee: Decimal;
  makerFee: Decimal | null;
  quantityStep: Decimal | null;
  priceTick: Decimal | null;
  minQuantity: Decimal | null;
  minNotional: Decimal | null;
}

/** What a group reads and does, given by the strategy (and by unit tests, plainly). */
export interface GroupEnvironment {
  readonly strategy: string;
  readonly portfolio: string;
  readonly kind: ArbitrageKind;
  /** What the group trades on `venue`: one instrument everywhere for a spot spread, a spot and a perpetual for a basis. */
  instrumentAt(venue: string): string;
  /** Base and quote of every instrument it trades (quantities are in the base, fees valued in the quote). */
  readonly assets: { base: string; quote: string };
  readonly logger: Logger;
  now(): number;
  /** Places one leg, pinned to its venue; resolves to its intent id. */
  place(order: LegOrder): Promise<string>;
  cancel(intentId: string): Promise<void>;
  book(venue: string): BookSnapshot | undefined;
  /** How many books of `venue` have arrived so far: an unwind waits for a newer one than its last try saw. */
  booksSeen(venue: string): number;
  terms(venue: string): VenueTerms | undefined;
  publish(group: ArbitrageGroup): Promise<void>;
}

/** The opportunity a group was opened on (the record's expected figures): a spread's, less its IOC limits. */
export type GroupPlan = Pick<SpotSpread, 'buyVenue' | 'sellVenue' | 'quantity' | 'expectedBuyPrice' | 'expectedSellPrice' | 'expectedEdge' | 'expectedEdgeBps'>;

export interface UnwindLimits {
  unwindMaxCostBps: Decimal;
}

/**
 * One arbitrage order group: the legs it sent, driven by its intents' fills and status (and by
 * the strategy's books and timer, for time-outs), until it closes. A policy (BothIoc,
 * FinishOrUnwind, MakerTaker) decides what to send while it is open (`advance`); the group keeps
 * the legs, counts every fill once, unwinds whatever excess one side is left with, and publishes
 * its record when it opens and when it closes.
 *
 * The unwind trades the excess back on the venue where that side filled most, as IOCs whose
 * limit is at most `unwindMaxCostBps` from the side's entry average: at most UNWIND_ATTEMPTS of
 * them, each into a newer book than the last leg there ended at (`freshBook`). What is left
 * after that (or what is below the venue's minimum) leaves the group EXPOSED, logged as an error
 * and recorded.
 */
export abstract class OrderGroup<Plan extends GroupPlan = GroupPlan> {
  protected readonly legs: GroupLeg[] = [];
  private closedAs: ArbitrageGroupState | null = null;
  private closedAtMs: number | null = null;
  private reason = '';
  private readonly unwinds: GroupLeg[] = [];
  /** How many books of its venue had arrived when each ended leg ended, and when. */
  private readonly endedAt = new Map<GroupLeg, { book: number; ms: number }>();

  constructor(
    readonly groupId: string,
    readonly policy: LegRiskPolicy,
    protected readonly plan: Plan,
    protected readonly limits: UnwindLimits,
    protected readonly env: GroupEnvironment,
    readonly openedAtMs: number,
  ) {}

  /** Sends the first legs and publishes the OPEN record. */
  async open(): Promise<void> {
    await this.openLegs();
    await this.env.publish(this.record('OPEN'));
  }

  get state(): ArbitrageGroupState {
    return this.closedAs ?? 'OPEN';
  }

  /** Whether `intentId` is one of its legs. */
  owns(intentId: string | null): boolean {
    return this.legs.some((leg) => leg.intentId === intentId);
  }

  /** Venues its legs traded on: a new group waits for a fresh book of each. */
  venues(): Set<string> {
    return new Set(this.legs.map((leg) => leg.order.venue));
  }

  /** Counts a fill of one of its legs; returns it when new (the strategy moves its inventory by it), null for a repeat. */
  async onFill(fill: Fill): Promise<Fill | null> {
    const leg = this.legs.find((candidate) => candidate.intentId === fill.intentId);
    if (!leg?.addFill(fill)) return null;
    await this.step();
    return fill;
  }

  async onStatus(status: IntentStatus): Promise<void> {
    this.legs.find((leg) => leg.intentId === status.intentId)?.applyStatus(status, this.env.now());
    await this.step();
  }

  /** A book or the timer: time-outs and waiting sends get their chance. */
  async poke(): Promise<void> {
    for (const leg of this.legs) {
      if (leg.settleOverdue(this.env.now())) this.env.logger.warn({ group: this.groupId, intentId: leg.intentId }, `arbitrage group ${this.groupId}: leg ${leg.intentId} ended without all its fills; its intent status's figures stand in`);
    }
    await this.step();
  }

  /** Net base bought by every leg so far. */
  get net(): Decimal {
    return this.legs.reduce((sum, leg) => sum.plus(leg.signedFilled), new Decimal(0));
  }

  protected abstract openLegs(): Promise<void>;
  /** The policy's move after any change, while the group is open. */
  protected abstract advance(): Promise<void>;

  protected get working(): boolean {
    return this.legs.some((leg) => !leg.ended);
  }

  protected async send(order: LegOrder): Promise<GroupLeg> {
    const sentAtMs = this.env.now();
    const intentId = await this.env.place(order);
    const leg = new GroupLeg(intentId, order, this.env.instrumentAt(order.venue), sentAtMs, this.env.assets);
    this.legs.push(leg);
    return leg;
  }

  /**
   * Whether a book of `venue` newer than any its ended legs saw has arrived (or RETRY_PAUSE_MS
   * has passed): an IOC sent again into the book that just refused one would only be refused again.
   */
  protected freshBook(venue: string): boolean {
    const seen = this.env.booksSeen(venue);
    const now = this.env.now();
    return [...this.endedAt].every(([leg, at]) => leg.order.venue !== venue || at.book < seen || now - at.ms >= RETRY_PAUSE_MS);
  }

  /** How its legs ended, one line: the reason a record gives. */
  protected outcomes(): string {
    return this.legs.map((leg) => `${leg.order.role.toLowerCase()} ${leg.order.side.toLowerCase()} on ${leg.order.venue} ${leg.toRecord().outcome}`).join('; ');
  }

  /** Filled base on `side`, unwinds left out, and its average price. */
  protected entered(side: Side): { quantity: Decimal; average: Decimal | null } {
    const legs = this.legs.filter((leg) => leg.order.side === side && leg.order.role !== 'UNWIND');
    const quantity = legs.reduce((sum, leg) => sum.plus(leg.filled), new Decimal(0));
    const notional = legs.reduce((sum, leg) => sum.plus(leg.notional), new Decimal(0));
    return { quantity, average: quantity.isZero() ? null : notional.dividedBy(quantity) };
  }

  /**
   * Once every leg has ended: closes a flat group, else unwinds its excess (one IOC at a time,
   * each into a newer book), else, out of tries or below the venue's minimum, closes it EXPOSED.
   */
  protected async unwindOrClose(why: string): Promise<void> {
    if (this.working) return;
    const net = this.net;
    if (net.isZero()) return this.close(this.flatState(), this.unwinds.length > 0 ? `${why}; the excess traded back in ${this.unwinds.length} unwind(s)` : why);
    const side = net.gt(0) ? 'SELL' : 'BUY';
    const venue = this.excessVenue(opposite(side));
    const terms = this.env.terms(venue);
    const entry = this.entered(opposite(side)).average!;
    const quantity = lotsOf(net.abs(), [terms?.quantityStep ?? null]);
    if (!terms || quantity.isZero() || !tradable(terms, quantity, entry)) {
      return this.close('EXPOSED', `${why}; a residual of ${formatDecimal(net)} is below what ${venue} trades`);
    }
    if (this.unwinds.length >= UNWIND_ATTEMPTS) {
      return this.close('EXPOSED', `${why}; ${UNWIND_ATTEMPTS} unwinds within ${formatDecimal(this.limits.unwindMaxCostBps)} bps left ${formatDecimal(net)}`);
    }
    if (!this.freshBook(venue)) return;
    const limitPrice = throughPrice(entry, side, this.limits.unwindMaxCostBps, terms.priceTick);
    this.unwinds.push(await this.send({ role: 'UNWIND', venue, side, quantity, limitPrice, timeInForce: 'IOC', postOnly: false }));
    this.reason = why;
  }

  /** Publishes the closing record. */
  protected async close(state: Exclude<ArbitrageGroupState, 'OPEN'>, reason: string): Promise<void> {
    this.closedAs = state;
    this.closedAtMs = this.env.now();
    this.reason = reason;
    const record = this.record(state);
    if (state === 'EXPOSED') {
      this.env.logger.error({ group: this.groupId, residual: record.residualQuantity, side: record.residualSide }, `arbitrage group ${this.groupId} EXPOSED: ${reason}`);
    } else {
      this.env.logger.info({ group: this.groupId, state, realizedEdge: record.realizedEdge }, `arbitrage group ${this.groupId} ${state}: ${reason}`);
    }
    await this.env.publish(record);
  }

  private async step(): Promise<void> {
    if (this.closedAs !== null) return;
    for (const leg of this.legs) if (leg.ended && !this.endedAt.has(leg)) this.endedAt.set(leg, { book: this.env.booksSeen(leg.order.venue), ms: this.env.now() });
    if (this.unwinds.length > 0) return this.unwindOrClose(this.reason);
    await this.advance();
  }

  private flatState(): Exclude<ArbitrageGroupState, 'OPEN'> {
    if (this.unwinds.length > 0) return 'UNWOUND';
    return this.entered('BUY').quantity.isZero() ? 'MISSED' : 'CAPTURED';
  }

  /** The venue where `side` filled most: its excess is traded back there. */
  private excessVenue(side: Side): string {
    const byVenue = new Map<string, Decimal>();
    for (const leg of this.legs) if (leg.order.side === side) byVenue.set(leg.order.venue, (byVenue.get(leg.order.venue) ?? new Decimal(0)).plus(leg.filled));
    return [...byVenue].sort(([, a], [, b]) => b.comparedTo(a))[0]![0];
  }

  private record(state: ArbitrageGroupState): ArbitrageGroup {
    const sum = (pick: (leg: GroupLeg) => Decimal, legs = this.legs) => legs.reduce((total, leg) => total.plus(pick(leg)), new Decimal(0));
    const buys = this.legs.filter((leg) => leg.order.side === 'BUY');
    const sells = this.legs.filter((leg) => leg.order.side === 'SELL');
    const bought = sum((leg) => leg.filled, buys);
    const sold = sum((leg) => leg.filled, sells);
    const residual = bought.minus(sold);
    const closed = state !== 'OPEN';
    const sellInstrument = this.env.instrumentAt(this.plan.sellVenue);
    return {
      eventId: `${this.groupId}:${state}`,
      groupId: this.groupId,
      strategy: this.env.strategy,
      portfolio: this.env.portfolio,
      kind: this.env.kind,
      policy: this.policy,
      state,
      instrument: this.env.instrumentAt(this.plan.buyVenue),
      sellInstrument: sellInstrument === this.env.instrumentAt(this.plan.buyVenue) ? null : sellInstrument,
      buyVenue: this.plan.buyVenue,
      sellVenue: this.plan.sellVenue,
      plannedQuantity: formatDecimal(this.plan.quantity),
      expectedBuyPrice: formatDecimal(this.plan.expectedBuyPrice.toDecimalPlaces(8)),
      expectedSellPrice: formatDecimal(this.plan.expectedSellPrice.toDecimalPlaces(8)),
      expectedEdge: formatDecimal(this.plan.expectedEdge.toDecimalPlaces(8)),
      expectedEdgeBps: formatDecimal(this.plan.expectedEdgeBps),
      legs: this.legs.map((leg) => leg.toRecord()),
      boughtQuantity: formatDecimal(bought),
      soldQuantity: formatDecimal(sold),
      residualQuantity: formatDecimal(residual),
      realizedEdge: closed ? formatDecimal(sum((leg) => leg.notional, sells).minus(sum((leg) => leg.notional, buys)).minus(sum((leg) => leg.fees)).toDecimalPlaces(8)) : null,
      unwindCost: closed && this.unwinds.length > 0 ? formatDecimal(this.unwindCost(this.unwinds).toDecimalPlaces(8)) : null,
      residualSide: state === 'EXPOSED' && !residual.isZero() ? (residual.gt(0) ? 'SELL' : 'BUY') : null,
      // A funding position's figures: its strategy adds them (FundingArbitrage).
      positionId: null,
      expectedFundingApr: null,
      fundingCollected: null,
      reason: state === 'OPEN' ? `opened for ${formatDecimal(this.plan.expectedEdgeBps)} bps` : this.reason,
      openedAtMs: this.openedAtMs,
      closedAtMs: this.closedAtMs,
    };
  }

  /** What the unwinds gave up against the entry average of the side they traded back, their fees included. */
  private unwindCost(unwinds: readonly GroupLeg[]): Decimal {
    return unwinds.reduce((total, leg) => {
      const entry = this.entered(opposite(leg.order.side)).average ?? new Decimal(0);
      const given = leg.order.side === 'SELL' ? entry.times(leg.filled).minus(leg.notional) : leg.notional.minus(entry.times(leg.filled));
      return total.plus(given).plus(leg.fees);
    }, new Decimal(0));
  }
}

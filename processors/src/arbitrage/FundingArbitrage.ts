import { Decimal, formatDecimal, parseSymbol, type ArbitrageGroup, type ArbitrageKind, type BookSnapshot, type Fill, type FundingPayment, type IntentStatus } from '@crossvenue/schemas';
import type { Logger } from '@crossvenue/runtime';
import type { Strategy, StrategyContext, StrategyReads } from '../strategy/Strategy.ts';
import { BPS } from './bookWalk.ts';
import type { FundingPlace, FundingSettings } from './FundingSettings.ts';
import { closingPlan, findFundingEntry, YEAR_MS, type FundingSide } from './fundingSpread.ts';
import type { LegOrder } from './GroupLeg.ts';
import { closedGroups } from './groupHistory.ts';
import { VenueHoldings } from './VenueHoldings.ts';
import { GroupSlot } from './GroupSlot.ts';
import type { GroupEnvironment, OrderGroup, VenueTerms } from './OrderGroup.ts';
import { BothIoc } from './policies/BothIoc.ts';
import { FinishOrUnwind } from './policies/FinishOrUnwind.ts';
import type { SpotSpread } from './spotSpread.ts';
import { venueTerms } from './venueTerms.ts';

/** How often it looks at its position (funding rates move without books) and at its group's time-outs, in ms of the run's clock. */
const TIMER_MS = 250;
const UNBOUNDED = new Decimal(Infinity);
const ZERO = new Decimal(0);

/** A funding position held: long on one place, short on another, opened by one group, closed by one or more. */
interface FundingPosition {
  /** Its opening group's id: every group of the position carries it. */
  id: string;
  kind: ArbitrageKind;
  long: FundingPlace;
  short: FundingPlace;
  /** Funding settled from this time on is counted: its open, or after a restart its last closing group's close (what came before is in the records). */
  fundingFromMs: number;
  /** The buy notional of its entry: the stop is in bps of it. */
  entryNotional: Decimal;
  /** Realized edge of its groups so far (the entry, partial closes): sell proceeds less buy cost less fees, in quote. */
  tradedEdge: Decimal;
  /** Funding its perpetual sides received (positive) or paid since it opened, each payment once. */
  funding: Decimal;
  /** Of `funding`, what an earlier closing group's record already carried. */
  fundingReported: Decimal;
  readonly payments: Set<string>;
}

/** What a group in flight is for: opening the position or closing (part of) it, and why, for its records. */
interface GroupPurpose {
  action: 'OPEN' | 'CLOSE';
  positionId: string;
  kind: ArbitrageKind;
  apr: Decimal | null;
  why: string;
}

/**
 * Funding-rate arbitrage as a Strategy: holds a spot against a perpetual (BASIS) or two
 * perpetuals (FUNDING_SPREAD), long where funding costs less, short where it pays more, for as
 * long as the annualized differential stays above `exitApr`.
 *
 * - **Open**: with no position and nothing left over from an earlier one, on each book or timer
 *   tick it looks for an entry (findFundingEntry: the differential at least `entryApr`, and the
 *   funding over `holdMs` paying for both legs' fees and spreads in and out plus `minEdgeBps`),
 *   and opens it as an order group under BOTH_IOC or FINISH_OR_UNWIND, so a leg that fails is
 *   retried or unwound, never left alone.
 * - **Hold**: every funding payment the venues settle on its perpetual sides
 *   (exec.funding-payments, once per venue, account and payment id) is counted to the position.
 * - **Close**: when the differential falls below `exitApr`, or when closing now would lose more than
 *   `stopLossBps` of the entry notional with the funding collected counted in, a closing group buys
 *   the short side back and sells the long side, as many groups as it takes.
 *
 * The position is the hedged quantity its own fills made: min(long held, short held). What one side
 * holds beyond the other (an EXPOSED group's residual, alerted) is not traded by it again, and while
 * any is left it opens no new position. One position at a time, in memory: it is not restored after
 * a restart (its holdings stay at the venues; the positions worker still counts them and their funding).
 */
export class FundingArbitrage implements Strategy {
  readonly instruments: readonly string[];
  readonly timerMs = TIMER_MS;
  readonly reads: readonly StrategyReads[] = ['markets', 'balances', 'funding'];
  private readonly assets: { base: string; quote: string };
  private readonly slot: GroupSlot;
  private context: StrategyContext | undefined;
  private groupPrefix = '';
  private opened = 0;
  /** Base its own fills moved each venue's holding by: positive long, negative short. */
  private readonly held = new VenueHoldings();
  private position: FundingPosition | null = null;
  /** The closing record of the group that last closed (its realized edge is the position's). */
  private lastClosed: ArbitrageGroup | null = null;
  private purpose: GroupPurpose | null = null;

  constructor(
    private readonly settings: FundingSettings,
    private readonly publish: (group: ArbitrageGroup) => Promise<void>,
  ) {
    this.instruments = [...new Set(settings.places.map((place) => place.instrument))];
    const { base, quote } = parseSymbol(settings.places[0]!.instrument);
    this.assets = { base, quote };
    this.slot = new GroupSlot(settings.cooldownMs);
  }

  start(context: StrategyContext): void {
    this.context = context;
    this.groupPrefix = `${context.name}-group-${context.now().toString(36)}`;
  }

  async onBook(book: BookSnapshot, context: StrategyContext): Promise<void> {
    if (this.placeAt(book.venue)?.instrument !== book.instrument) return;
    this.slot.bookArrived(book.venue);
    await this.step(context);
  }

  async onTimer(context: StrategyContext): Promise<void> {
    await this.step(context);
  }

  async onFill(fill: Fill): Promise<void> {
    if (!this.slot.group?.owns(fill.intentId)) return;
    await this.settle(async (group) => {
      if (await group.onFill(fill)) this.held.add(fill.venue, fill.side, fill.quantity);
    });
  }

  async onStatus(status: IntentStatus): Promise<void> {
    if (this.slot.group?.owns(status.intentId)) await this.settle((group) => group.onStatus(status));
  }

  onFundingPayment(payment: FundingPayment, context: StrategyContext): void {
    const position = this.position;
    if (!position || ![position.long, position.short].some((place) => place.venue === payment.venue && place.instrument === payment.instrument)) return;
    // Funding settled before the position opened belongs to whatever was held then.
    if (payment.venueTimeMs < position.fundingFromMs) return;
    const identity = `${payment.venue}|${payment.account}|${payment.fundingId}`;
    if (position.payments.has(identity)) return;
    if (payment.currency !== this.assets.quote) {
      context.logger.warn({ payment: identity, currency: payment.currency }, `funding payment ${identity} is in ${payment.currency}, not ${this.assets.quote}: not counted to position ${position.id}`);
      return;
    }
    position.payments.add(identity);
    position.funding = position.funding.plus(payment.amount);
  }

  /** Base its fills moved `venue`'s holding by. */
  heldAt(venue: string): Decimal {
    return this.held.at(venue);
  }

  /** The position held, if any: its places, hedged quantity and the funding it collected. */
  get holding(): { id: string; long: FundingPlace; short: FundingPlace; quantity: Decimal; funding: Decimal } | null {
    const position = this.position;
    return position && { id: position.id, long: position.long, short: position.short, quantity: this.hedged(position), funding: position.funding };
  }

  private async step(context: StrategyContext): Promise<void> {
    if (this.slot.group) return this.settle((group) => group.poke());
    if (!this.slot.isFree(context.now())) return;
    if (this.position) return this.closeIfDue(context, this.position);
    // Something one side holds beyond the other (an exposed residual): no new position on top of it.
    if (this.held.anyOpen()) return;
    await this.openIfWorth(context);
  }

  private async openIfWorth(context: StrategyContext): Promise<void> {
    const { settings } = this;
    const sides = settings.places.map((place) => this.side(context, place, 'OPEN')).filter((side) => side !== null);
    const entry = findFundingEntry(sides, { ...settings, openNotionalRoom: settings.maxOpenNotional });
    if (!entry) return;
    const long = this.placeAt(entry.buyVenue)!;
    const short = this.placeAt(entry.sellVenue)!;
    const groupId = `${this.groupPrefix}-${this.opened}`;
    const why = `opened for ${percent(entry.apr)} a year (${short.instrument} on ${short.venue} against ${long.instrument} on ${long.venue}); net ${formatDecimal(entry.netEdgeBps)} bps over ${settings.holdMs} ms with funding ${formatDecimal(entry.expectedFunding.toDecimalPlaces(8))} and the exit ${formatDecimal(entry.exitEdge.toDecimalPlaces(8))}`;
    await this.openGroup(context, groupId, entry, { action: 'OPEN', positionId: groupId, kind: long.perpetual && short.perpetual ? 'FUNDING_SPREAD' : 'BASIS', apr: entry.apr, why });
  }

  private async closeIfDue(context: StrategyContext, position: FundingPosition): Promise<void> {
    const long = this.side(context, position.long, 'CLOSE');
    const short = this.side(context, position.short, 'CLOSE');
    if (!long || !short) return;
    const plan = closingPlan(long, short, this.hedged(position), this.settings.legSlippageBps);
    if (!plan) return;
    const apr = this.differential(context, position);
    const why = this.exitReason(position, plan, apr);
    if (why === null) return;
    await this.openGroup(context, `${this.groupPrefix}-${this.opened}`, plan, { action: 'CLOSE', positionId: position.id, kind: position.kind, apr, why });
  }

  /** Why to close now, or null: the differential below exitApr, or the stop. */
  private exitReason(position: FundingPosition, plan: SpotSpread, apr: Decimal | null): string | null {
    const { exitApr, stopLossBps } = this.settings;
    if (apr !== null && apr.lt(exitApr)) return `closed: funding differential ${percent(apr)} a year, below the exit threshold ${percent(exitApr)}`;
    const ifClosed = position.tradedEdge.plus(plan.expectedEdge).plus(position.funding);
    const stop = position.entryNotional.times(stopLossBps).dividedBy(BPS).negated();
    if (ifClosed.lt(stop)) return `closed by the stop: closing now gives ${formatDecimal(ifClosed.toDecimalPlaces(8))} ${this.assets.quote} with funding ${formatDecimal(position.funding)}, beyond ${formatDecimal(stopLossBps)} bps of ${formatDecimal(position.entryNotional.toDecimalPlaces(8))}`;
    return null;
  }

  private async openGroup(context: StrategyContext, groupId: string, plan: SpotSpread, purpose: GroupPurpose): Promise<void> {
    const { settings } = this;
    const env = this.environment(context, purpose);
    const now = context.now();
    const group =
      settings.policy === 'FINISH_OR_UNWIND'
        ? new FinishOrUnwind(groupId, plan, settings, env, now, { finishWithinMs: settings.finishWithinMs, venues: [plan.buyVenue, plan.sellVenue] })
        : new BothIoc(groupId, 'BOTH_IOC', plan, settings, env, now);
    this.opened += 1;
    this.purpose = purpose;
    context.logger.info({ group: groupId, position: purpose.positionId }, `funding arbitrage group ${groupId}: ${purpose.why}`);
    await this.slot.open(group);
  }

  /** Runs `work` on the group in flight; once it has closed, the position is what its fills left. */
  private async settle(work: (group: OrderGroup) => Promise<unknown>): Promise<void> {
    const closed = await this.slot.settle(work, () => this.context!.now());
    if (!closed) return;
    const purpose = this.purpose!;
    const record = this.lastClosed!;
    if (purpose.action === 'OPEN') {
      const position = this.openedBy(record);
      this.position = this.hedged(position).gt(0) ? position : null;
      return;
    }
    const position = this.position!;
    position.tradedEdge = position.tradedEdge.plus(record.realizedEdge ?? 0);
    if (this.hedged(position).gt(0)) return;
    this.position = null;
    this.context!.logger.info({ position: position.id, funding: formatDecimal(position.funding), edge: formatDecimal(position.tradedEdge.toDecimalPlaces(8)) }, `funding position ${position.id} closed: traded edge ${formatDecimal(position.tradedEdge.toDecimalPlaces(8))}, funding ${formatDecimal(position.funding)} ${this.assets.quote}`);
  }

  /**
   * Rebuilds its holdings and the position they hold from its own groups' records, which the worker
   * reads at start, so a restarted worker neither opens a second position on top of the one it
   * holds nor leaves that one unwatched. The funding restored is what its closing records carried;
   * payments settled since the last of them count again as the connectors list them (each
   * snapshot lists the recent ones), older ones are in the position's funding on state.positions.
   */
  restore(records: readonly ArbitrageGroup[], logger: Logger): void {
    let position: FundingPosition | null = null;
    for (const record of closedGroups(records, logger, this.held)) {
      if (record.positionId === null) continue;
      if (record.groupId === record.positionId) {
        position = this.openedBy(record);
        continue;
      }
      if (position?.id !== record.positionId) continue;
      const funding = new Decimal(record.fundingCollected ?? 0);
      position.tradedEdge = position.tradedEdge.plus(record.realizedEdge ?? 0);
      position.funding = position.funding.plus(funding);
      position.fundingReported = position.funding;
      position.fundingFromMs = record.closedAtMs ?? position.fundingFromMs;
    }
    this.position = position && this.hedged(position).gt(0) ? position : null;
    if (this.position) logger.info({ position: this.position.id, quantity: formatDecimal(this.hedged(this.position)) }, `funding position ${this.position.id} restored from its groups' records: ${formatDecimal(this.hedged(this.position))} held`);
  }

  /** The position an opening group's closing record leaves: its places, entry and realized edge. */
  private openedBy(record: ArbitrageGroup): FundingPosition {
    const entryNotional = record.legs.filter((leg) => leg.side === 'BUY' && leg.role !== 'UNWIND').reduce((sum, leg) => sum.plus(new Decimal(leg.filledQuantity).times(leg.averagePrice ?? 0)), ZERO);
    return {
      id: record.groupId,
      kind: record.kind,
      long: this.placeAt(record.buyVenue)!,
      short: this.placeAt(record.sellVenue)!,
      fundingFromMs: record.openedAtMs,
      entryNotional,
      tradedEdge: new Decimal(record.realizedEdge ?? 0),
      funding: ZERO,
      fundingReported: ZERO,
      payments: new Set(),
    };
  }

  /** The hedged quantity: what the long side holds and the short side owes, whichever is less. */
  private hedged(position: FundingPosition): Decimal {
    return Decimal.max(ZERO, Decimal.min(this.heldAt(position.long.venue), this.heldAt(position.short.venue).negated()));
  }

  /** The position's annualized differential now (short side's rate less long side's), or null while a perpetual's rate is unknown or stale. */
  private differential(context: StrategyContext, position: FundingPosition): Decimal | null {
    const [long, short] = [this.longApr(context, position.long), this.longApr(context, position.short)];
    return long === null || short === null ? null : short.minus(long);
  }

  /** What a long position at `place` pays in funding a year (0 for spot), or null while its rate is unknown or older than maxFundingAgeMs. */
  private longApr(context: StrategyContext, place: FundingPlace): Decimal | null {
    if (!place.perpetual) return ZERO;
    const rate = context.fundingRate(place.venue, place.instrument);
    if (!rate || context.now() - rate.receivedAtMs > this.settings.maxFundingAgeMs) return null;
    return new Decimal(rate.rate).times(YEAR_MS).dividedBy(rate.fundingIntervalMs ?? this.settings.defaultFundingIntervalMs);
  }

  /**
   * A place as the finder sees it, or null when it cannot be traded now: no fresh book, no known
   * fee, halted, quantities not in the base asset, or (to open) a perpetual without a fresh rate.
   */
  private side(context: StrategyContext, place: FundingPlace, action: GroupPurpose['action']): FundingSide | null {
    const book = context.books(place.instrument).get(place.venue);
    const terms = this.terms(context, place);
    const longApr = action === 'OPEN' ? this.longApr(context, place) : ZERO;
    if (!book || !terms || longApr === null || this.slot.isStale(place.venue) || context.now() - book.receivedAtMs > this.settings.maxBookAgeMs) return null;
    const balances = context.balances(place.venue);
    const free = (asset: string) => new Decimal(balances.get(asset)?.free ?? 0);
    return {
      venue: place.venue,
      asks: book.asks,
      bids: book.bids,
      ...terms,
      // A linear perpetual's margin is in the quote; a short perpetual needs no base, a spot sale does.
      quoteFree: free(this.assets.quote),
      baseFree: place.perpetual ? UNBOUNDED : free(this.assets.base),
      inventoryRoom: { buy: UNBOUNDED, sell: UNBOUNDED },
      longApr,
    };
  }

  /**
   * Rules and fees of a place; undefined for an inverse contract, whose size is a quote amount.
   * A linear contract of any size is in the base asset here, as everywhere inside (the connector
   * converts contracts at the venue: connectors/src/ccxt/contractUnits.ts).
   */
  private terms(context: StrategyContext, place: FundingPlace): VenueTerms | undefined {
    const market = context.market(place.venue, place.instrument);
    if (market?.inverse) return undefined;
    return venueTerms(market, { takerFee: this.settings.defaultTakerFee, makerFee: null });
  }

  private placeAt(venue: string): FundingPlace | undefined {
    return this.settings.places.find((place) => place.venue === venue);
  }

  private environment(context: StrategyContext, purpose: GroupPurpose): GroupEnvironment {
    const instrumentAt = (venue: string) => this.placeAt(venue)!.instrument;
    return {
      strategy: context.name,
      portfolio: context.portfolio,
      kind: purpose.kind,
      instrumentAt,
      assets: this.assets,
      logger: context.logger,
      now: () => context.now(),
      place: (order: LegOrder) =>
        context.place({
          instrument: instrumentAt(order.venue),
          side: order.side,
          amount: formatDecimal(order.quantity),
          limitPrice: formatDecimal(order.limitPrice),
          timeInForce: order.timeInForce,
          postOnly: order.postOnly,
          // Closing a perpetual side may only reduce it: a leg that overshot would open the other way. An unwind trades back what a leg did, so it may add.
          reduceOnly: purpose.action === 'CLOSE' && order.role !== 'UNWIND' && this.placeAt(order.venue)!.perpetual,
          venues: [order.venue],
        }),
      cancel: (intentId) => context.cancel(intentId),
      book: (venue) => context.books(instrumentAt(venue)).get(venue),
      booksSeen: (venue) => this.slot.booksOf(venue),
      terms: (venue) => this.terms(context, this.placeAt(venue)!),
      publish: async (group) => {
        const closing = purpose.action === 'CLOSE' && group.state !== 'OPEN' ? this.position : null;
        const record: ArbitrageGroup = {
          ...group,
          positionId: purpose.positionId,
          expectedFundingApr: purpose.apr && formatDecimal(purpose.apr.toDecimalPlaces(8)),
          fundingCollected: closing && formatDecimal(closing.funding.minus(closing.fundingReported)),
          reason: group.state === 'OPEN' ? purpose.why : `${purpose.why}; ${group.reason}`,
        };
        if (closing) closing.fundingReported = closing.funding;
        if (group.state !== 'OPEN') this.lastClosed = record;
        await this.publish(record);
      },
    };
  }
}

function percent(fraction: Decimal): string {
  return `${formatDecimal(fraction.times(100).toDecimalPlaces(2))} %`;
}

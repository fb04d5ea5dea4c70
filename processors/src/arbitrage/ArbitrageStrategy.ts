import { Decimal, formatDecimal, parseSymbol, type ArbitrageGroup, type BookSnapshot, type Fill, type IntentStatus } from '@crossvenue/schemas';
import type { Logger } from '@crossvenue/runtime';
import type { Strategy, StrategyContext, StrategyReads } from '../strategy/Strategy.ts';
import type { ArbitrageSettings } from './ArbitrageSettings.ts';
import { closedGroups } from './groupHistory.ts';
import { VenueHoldings } from './VenueHoldings.ts';
import type { LegOrder } from './GroupLeg.ts';
import { quoteMaker } from './makerQuote.ts';
import { venueTerms } from './venueTerms.ts';
import { GroupSlot } from './GroupSlot.ts';
import type { GroupEnvironment, OrderGroup, VenueTerms } from './OrderGroup.ts';
import { BothIoc } from './policies/BothIoc.ts';
import { FinishOrUnwind } from './policies/FinishOrUnwind.ts';
import { MakerTaker } from './policies/MakerTaker.ts';
import { findSpotSpread, type SpreadLimits, type SpreadVenue } from './spotSpread.ts';

/** How often open groups are looked at for their time-outs (finishWithinMs, makerRestMs, late fills), in ms of the run's clock. */
const TIMER_MS = 250;

/**
 * Cross-venue spot arbitrage on one instrument as a Strategy, so it runs unchanged in a backtest,
 * the embedded run and as a worker. On each book of its venues it looks for a spread (or, under
 * MAKER_TAKER, a maker quote) and opens an order group when none is in flight, the cooldown after
 * a failed group has passed, and every book it would trade on is fresh: younger than
 * maxBookAgeMs and, for a venue the last group traded on, newer than that group (its own fills
 * have not been seen in an older book). Fills and intent status go to the group whose legs they
 * are about; the timer and books drive its time-outs.
 *
 * Inventory is what its own fills moved each venue's base holding since it first ran (exact and
 * immediate; balances lag by the connectors' snapshot interval; restored after a restart). The open notional is the buy
 * side of the group in flight plus every EXPOSED residual at its group's expected buy price.
 */
export class ArbitrageStrategy implements Strategy {
  readonly instruments: readonly string[];
  readonly timerMs = TIMER_MS;
  readonly reads: readonly StrategyReads[] = ['markets', 'balances'];
  private readonly assets: { base: string; quote: string };
  private context: StrategyContext | undefined;
  private groupPrefix = '';
  private opened = 0;
  private readonly slot: GroupSlot;
  /** Base bought (positive) or sold on each venue by its own fills. */
  private readonly drift = new VenueHoldings();
  private exposedNotional = new Decimal(0);

  constructor(
    private readonly settings: ArbitrageSettings,
    private readonly publish: (group: ArbitrageGroup) => Promise<void>,
  ) {
    this.instruments = [settings.instrument];
    this.assets = parseSymbol(settings.instrument);
    this.slot = new GroupSlot(settings.cooldownMs);
  }

  start(context: StrategyContext): void {
    this.context = context;
    this.groupPrefix = `${context.name}-group-${context.now().toString(36)}`;
  }

  async onBook(book: BookSnapshot, context: StrategyContext): Promise<void> {
    if (!this.settings.venues.includes(book.venue)) return;
    this.slot.bookArrived(book.venue);
    if (this.slot.group) return this.settle((group) => group.poke());
    await this.openIfWorth(context);
  }

  async onFill(fill: Fill): Promise<void> {
    if (!this.slot.group?.owns(fill.intentId)) return;
    await this.settle(async (group) => {
      if (await group.onFill(fill)) this.drift.add(fill.venue, fill.side, fill.quantity);
    });
  }

  async onStatus(status: IntentStatus): Promise<void> {
    if (this.slot.group?.owns(status.intentId)) await this.settle((group) => group.onStatus(status));
  }

  async onTimer(): Promise<void> {
    if (this.slot.group) await this.settle((group) => group.poke());
  }

  /** Base its fills moved each venue's holding by, since it first ran (restored after a restart). */
  inventory(venue: string): Decimal {
    return this.drift.at(venue);
  }

  /**
   * Rebuilds its inventory and exposed notional from its own groups' records, which the worker
   * reads at start: a restarted worker keeps to maxInventory and maxOpenNotional as if it had
   * never stopped.
   */
  restore(records: readonly ArbitrageGroup[], logger: Logger): void {
    this.exposedNotional = closedGroups(records, logger, this.drift)
      .filter((record) => record.state === 'EXPOSED')
      .reduce((sum, record) => sum.plus(new Decimal(record.residualQuantity).abs().times(record.expectedBuyPrice)), new Decimal(0));
  }

  /** Runs `work` on the open group; once it has closed, the next group may open (after the cooldown when it failed). */
  private async settle(work: (group: OrderGroup) => Promise<unknown>): Promise<void> {
    await this.slot.settle(work, () => this.context!.now());
  }

  private async openIfWorth(context: StrategyContext): Promise<void> {
    const { settings } = this;
    if (!this.slot.isFree(context.now())) return;
    const venues = settings.venues.map((venue) => this.spreadVenue(context, venue)).filter((venue) => venue !== null);
    const limits: SpreadLimits = { ...settings, openNotionalRoom: settings.maxOpenNotional.minus(this.exposedNotional) };
    const groupId = `${this.groupPrefix}-${this.opened}`;
    const env = this.environment(context);
    const now = context.now();
    let group: OrderGroup | null = null;
    if (settings.maker) {
      const makerVenue = venues.find(({ venue }) => venue === settings.maker!.venue);
      const makerFee = this.terms(context, settings.maker.venue)?.makerFee;
      const quote = makerVenue && makerFee != null ? quoteMaker({ ...makerVenue, makerFee }, venues.filter((venue) => venue !== makerVenue), limits) : null;
      if (quote) group = new MakerTaker(groupId, quote, settings, env, now, { restMs: settings.maker.restMs, minEdgeBps: settings.minEdgeBps, legSlippageBps: settings.legSlippageBps });
    } else {
      const spread = findSpotSpread(venues, limits);
      if (spread && settings.policy === 'FINISH_OR_UNWIND') group = new FinishOrUnwind(groupId, spread, settings, env, now, settings);
      else if (spread) group = new BothIoc(groupId, 'BOTH_IOC', spread, settings, env, now);
    }
    if (!group) return;
    this.opened += 1;
    context.logger.info({ group: groupId }, `arbitrage group ${groupId} opening`);
    await this.slot.open(group);
  }

  /** A venue as the finder sees it, or null when it cannot be traded now (no fresh book, no known fee, halted). */
  private spreadVenue(context: StrategyContext, venue: string): SpreadVenue | null {
    const book = context.books(this.settings.instrument).get(venue);
    const terms = this.terms(context, venue);
    if (!book || !terms || this.slot.isStale(venue) || context.now() - book.receivedAtMs > this.settings.maxBookAgeMs) return null;
    const balances = context.balances(venue);
    const free = (asset: string) => new Decimal(balances.get(asset)?.free ?? 0);
    const drift = this.inventory(venue);
    return {
      venue,
      asks: book.asks,
      bids: book.bids,
      ...terms,
      quoteFree: free(this.assets.quote),
      baseFree: free(this.assets.base),
      inventoryRoom: { buy: this.settings.maxInventory.minus(drift), sell: this.settings.maxInventory.plus(drift) },
    };
  }

  private terms(context: StrategyContext, venue: string): VenueTerms | undefined {
    return venueTerms(context.market(venue, this.settings.instrument), { takerFee: this.settings.defaultTakerFee, makerFee: this.settings.defaultMakerFee });
  }

  private environment(context: StrategyContext): GroupEnvironment {
    const { instrument } = this.settings;
    return {
      strategy: context.name,
      portfolio: context.portfolio,
      kind: 'SPOT_SPREAD',
      instrumentAt: () => instrument,
      assets: this.assets,
      logger: context.logger,
      now: () => context.now(),
      place: (order: LegOrder) =>
        context.place({
          instrument,
          side: order.side,
          amount: formatDecimal(order.quantity),
          limitPrice: formatDecimal(order.limitPrice),
          timeInForce: order.timeInForce,
          postOnly: order.postOnly,
          venues: [order.venue],
        }),
      cancel: (intentId) => context.cancel(intentId),
      book: (venue) => context.books(instrument).get(venue),
      booksSeen: (venue) => this.slot.booksOf(venue),
      terms: (venue) => this.terms(context, venue),
      publish: async (group) => {
        if (group.state === 'EXPOSED') this.exposedNotional = this.exposedNotional.plus(new Decimal(group.residualQuantity).abs().times(group.expectedBuyPrice));
        await this.publish(group);
      },
    };
  }
}

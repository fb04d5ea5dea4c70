import { Decimal, formatDecimal, parseSymbol, type ArbitrageGroup, type ArbitrageGroupState, type BookSnapshot, type Fill, type IntentStatus } from '@crossvenue/schemas';
import type { Strategy, StrategyContext, StrategyReads } from '../strategy/Strategy.ts';
import type { ArbitrageSettings } from './ArbitrageSettings.ts';
import type { LegOrder } from './GroupLeg.ts';
import { quoteMaker } from './makerQuote.ts';
import type { GroupEnvironment, OrderGroup, VenueTerms } from './OrderGroup.ts';
import { BothIoc } from './policies/BothIoc.ts';
import { FinishOrUnwind } from './policies/FinishOrUnwind.ts';
import { MakerTaker } from './policies/MakerTaker.ts';
import { findSpotSpread, type SpreadLimits, type SpreadVenue } from './spotSpread.ts';

/** How often open groups are looked at for their time-outs (finishWithinMs, makerRestMs, late fills), in ms of the run's clock. */
const TIMER_MS = 250;

const FAILED: ReadonlySet<ArbitrageGroupState> = new Set(['UNWOUND', 'EXPOSED', 'MISSED']);

/**
 * Cross-venue spot arbitrage on one instrument as a Strategy, so it runs unchanged in a backtest,
 * the embedded run and as a worker. On each book of its venues it looks for a spread (or, under
 * MAKER_TAKER, a maker quote) and opens an order group when none is in flight, the cooldown after
 * a failed group has passed, and every book it would trade on is fresh: younger than
 * maxBookAgeMs and, for a venue the last group traded on, newer than that group (its own fills
 * have not been seen in an older book). Fills and intent status go to the group whose legs they
 * are about; the timer and books drive its time-outs.
 *
 * Inventory is what its own fills moved each venue's base holding since it started (exact and
 * immediate; balances lag by the connectors' snapshot interval). The open notional is the buy
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
  private group: OrderGroup | null = null;
  private lastFailedAtMs = Number.NEGATIVE_INFINITY;
  /** Base bought (positive) or sold on each venue by its own fills. */
  private readonly drift = new Map<string, Decimal>();
  private exposedNotional = new Decimal(0);
  private readonly booksSeen = new Map<string, number>();
  /** Venues the last group traded on, until a book of theirs arrives after it closed. */
  private readonly stale = new Set<string>();

  constructor(
    private readonly settings: ArbitrageSettings,
    private readonly publish: (group: ArbitrageGroup) => Promise<void>,
  ) {
    this.instruments = [settings.instrument];
    this.assets = parseSymbol(settings.instrument);
  }

  start(context: StrategyContext): void {
    this.context = context;
    this.groupPrefix = `${context.name}-group-${context.now().toString(36)}`;
  }

  async onBook(book: BookSnapshot, context: StrategyContext): Promise<void> {
    if (!this.settings.venues.includes(book.venue)) return;
    this.booksSeen.set(book.venue, (this.booksSeen.get(book.venue) ?? 0) + 1);
    this.stale.delete(book.venue);
    if (this.group) return this.settle(() => this.group!.poke());
    await this.openIfWorth(context);
  }

  async onFill(fill: Fill): Promise<void> {
    const group = this.group;
    if (!group?.owns(fill.intentId)) return;
    await this.settle(async () => {
      if (!(await group.onFill(fill))) return;
      const quantity = new Decimal(fill.quantity);
      this.drift.set(fill.venue, (this.drift.get(fill.venue) ?? new Decimal(0)).plus(fill.side === 'BUY' ? quantity : quantity.negated()));
    });
  }

  async onStatus(status: IntentStatus): Promise<void> {
    const group = this.group;
    if (group?.owns(status.intentId)) await this.settle(() => group.onStatus(status));
  }

  async onTimer(): Promise<void> {
    if (this.group) await this.settle(() => this.group!.poke());
  }

  /** Base its fills moved each venue's holding by, since it started. */
  inventory(venue: string): Decimal {
    return this.drift.get(venue) ?? new Decimal(0);
  }

  /** Runs `work` on the open group; once it has closed, the next group may open (after the cooldown when it failed). */
  private async settle(work: () => Promise<unknown>): Promise<void> {
    const group = this.group!;
    await work();
    if (group.state === 'OPEN') return;
    this.group = null;
    if (FAILED.has(group.state)) this.lastFailedAtMs = this.context!.now();
    for (const venue of group.venues()) this.stale.add(venue);
  }

  private async openIfWorth(context: StrategyContext): Promise<void> {
    const { settings } = this;
    if (context.now() - this.lastFailedAtMs < settings.cooldownMs) return;
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
    this.group = group;
    context.logger.info({ group: groupId }, `arbitrage group ${groupId} opening`);
    await group.open();
  }

  /** A venue as the finder sees it, or null when it cannot be traded now (no fresh book, no known fee, halted). */
  private spreadVenue(context: StrategyContext, venue: string): SpreadVenue | null {
    const book = context.books(this.settings.instrument).get(venue);
    const terms = this.terms(context, venue);
    if (!book || !terms || this.stale.has(venue) || context.now() - book.receivedAtMs > this.settings.maxBookAgeMs) return null;
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
    const market = context.market(venue, this.settings.instrument);
    if (market?.active === false) return undefined;
    const fee = (known: string | null | undefined, fallback: Decimal | null) => (known != null ? new Decimal(known) : fallback);
    const takerFee = fee(market?.takerFee, this.settings.defaultTakerFee);
    if (takerFee === null) return undefined;
    const rule = (value: string | null | undefined) => (value != null ? new Decimal(value) : null);
    return {
      takerFee,
      makerFee: fee(market?.makerFee, this.settings.defaultMakerFee),
      quantityStep: rule(market?.quantityStep),
      priceTick: rule(market?.priceTick),
      minQuantity: rule(market?.minQuantity),
      minNotional: rule(market?.minNotional),
    };
  }

  private environment(context: StrategyContext): GroupEnvironment {
    const { instrument } = this.settings;
    return {
      strategy: context.name,
      portfolio: context.portfolio,
      instrument,
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
      booksSeen: (venue) => this.booksSeen.get(venue) ?? 0,
      terms: (venue) => this.terms(context, venue),
      publish: async (group) => {
        if (group.state === 'EXPOSED') this.exposedNotional = this.exposedNotional.plus(new Decimal(group.residualQuantity).abs().times(group.expectedBuyPrice));
        await this.publish(group);
      },
    };
  }
}

import { Decimal, roundToStep, type Side } from '@crossvenue/schemas';
import { penaltyRates, type CostConfig, type PenaltyRates } from './costModel.ts';
import type { BookLevel, VenueCandidate } from './RouteRequest.ts';

/**
 * One candidate made ready for routing one side: the levels it would take, each level's effective
 * price (price with fee and penalties folded in), and cumulative sums so that the cost of any
 * quantity is one binary search away. Built once per book/fee/health change, not per route, so
 * the router's hot loop only compares and adds. Accounts on one venue each prepare the venue's
 * book with their own fees; SharedBook keeps them from taking the same levels.
 */
export interface PreparedVenue {
  readonly candidate: VenueCandidate;
  readonly side: Side;
  /** The side an order takes: asks for a buy, bids for a sell; best first. */
  readonly levels: readonly BookLevel[];
  /** price x (1 + fee + penalties) for a buy, price x (1 - fee - penalties) for a sell. */
  readonly effective: readonly Decimal[];
  /**
   * The same as doubles, only to order levels quickly; prices this close (relative 1e-12) are
   * compared as decimals instead, so the order is exact. Never used as an amount.
   */
  readonly effectiveOrder: Float64Array;
  /** Length levels + 1, starting at 0: quantity, notional and effective notional before level i. */
  readonly cumQuantity: readonly Decimal[];
  readonly cumNotional: readonly Decimal[];
  readonly cumEffective: readonly Decimal[];
  readonly feeRate: Decimal;
  readonly penalties: PenaltyRates;
  /** Fee plus penalties as a fraction of notional: the lower, the cheaper this account is on any level. */
  readonly markup: Decimal;
  /** The most this account may take from the top of the book: balance, max quantity, rounded down to the lot; book depth aside. */
  readonly capacity: Decimal;
  /** Why the venue gets nothing whatever the order, or null. */
  readonly exclusion: string | null;
}

const ZERO = new Decimal(0);
const ONE = new Decimal(1);

export function prepareVenue(candidate: VenueCandidate, side: Side, config: CostConfig, maker = false): PreparedVenue {
  const levels = side === 'BUY' ? candidate.asks : candidate.bids;
  const feeRate = maker ? candidate.makerFee : candidate.takerFee;
  const penalties = penaltyRates(candidate.condition, config);
  const markup = feeRate.plus(penalties.latency).plus(penalties.staleness).plus(penalties.health);
  const factor = side === 'BUY' ? ONE.plus(markup) : ONE.minus(markup);
  const effective = levels.map((level) => level.price.times(factor));
  const cumQuantity = [ZERO];
  const cumNotional = [ZERO];
  const cumEffective = [ZERO];
  levels.forEach((level, i) => {
    cumQuantity.push(cumQuantity[i]!.plus(level.quantity));
    cumNotional.push(cumNotional[i]!.plus(level.price.times(level.quantity)));
    cumEffective.push(cumEffective[i]!.plus(effective[i]!.times(level.quantity)));
  });
  const effectiveOrder = Float64Array.from(effective, (price) => price.toNumber());
  const prepared = { candidate, side, levels, effective, effectiveOrder, cumQuantity, cumNotional, cumEffective, feeRate, penalties, markup };
  return { ...prepared, capacity: capacityFrom(prepared, ZERO), exclusion: exclusionOf(candidate, levels, config, maker) };
}

function exclusionOf(candidate: VenueCandidate, levels: readonly BookLevel[], config: CostConfig, maker: boolean): string | null {
  const { condition, rules } = candidate;
  if (candidate.excludedBecause) return candidate.excludedBecause;
  if (condition.state !== 'HEALTHY') return `venue ${condition.state}${condition.reason ? `: ${condition.reason}` : ''}`;
  if (!rules.active) return 'market not trading';
  const staleness = condition.bookStalenessMs;
  if (staleness !== null && staleness > config.maxBookStalenessMs) {
    return `book stale ${staleness} ms > ${config.maxBookStalenessMs} ms`;
  }
  // A resting order needs no liquidity on the other side; a taking one does.
  if (levels.length === 0 && !maker) return 'empty book side';
  if (candidate.available !== null && candidate.available.lte(0)) return 'no available balance';
  return null;
}

type CapacityInput = Pick<PreparedVenue, 'candidate' | 'side' | 'levels' | 'cumQuantity' | 'cumNotional' | 'feeRate'>;

/**
 * The most this account may take from `from` on, the book above `from` going to other accounts on
 * the venue. A buy spends quote: notional plus fee must fit in the balance. A sell spends base.
 */
export function capacityFrom(venue: CapacityInput, from: Decimal): Decimal {
  const { candidate, side } = venue;
  let capacity = candidate.available === null ? null : side === 'SELL' ? candidate.available : affordableQuantity(venue, candidate.available, from);
  const max = candidate.rules.maxQuantity;
  if (max !== null) capacity = capacity === null ? max : Decimal.min(capacity, max);
  if (capacity === null) return venue.cumQuantity[venue.levels.length]!.minus(from);
  const lot = candidate.rules.quantityStep;
  return lot === null ? capacity : roundToStep(capacity, lot, 'DOWN');
}

/** What the quote balance buys from `from` on: where the book's notional reaches the notional above `from` plus the budget. */
function affordableQuantity(venue: CapacityInput, quoteBalance: Decimal, from: Decimal): Decimal {
  const { levels, cumQuantity, cumNotional, feeRate } = venue;
  const end = notionalAt(venue, from).plus(quoteBalance.div(ONE.plus(feeRate)));
  if (levels.length === 0 || end.gte(cumNotional[levels.length]!)) return cumQuantity[levels.length]!.minus(from);
  const i = levelReaching(cumNotional, end);
  return cumQuantity[i]!.plus(end.minus(cumNotional[i]!).div(levels[i]!.price)).minus(from);
}

/** Price x quantity over the first `quantity` of the book; `level` is levelOf(quantity) when the caller has it. */
function notionalAt(venue: Pick<PreparedVenue, 'levels' | 'cumQuantity' | 'cumNotional'>, quantity: Decimal, level?: number): Decimal {
  if (quantity.isZero()) return ZERO;
  const i = level ?? levelOf(venue, quantity);
  return venue.cumNotional[i]!.plus(venue.levels[i]!.price.times(quantity.minus(venue.cumQuantity[i]!)));
}

/** Index of the level holding the unit just below `quantity` (quantity > 0 and within the book). */
export function levelOf(venue: Pick<PreparedVenue, 'cumQuantity'>, quantity: Decimal): number {
  return levelReaching(venue.cumQuantity, quantity);
}

/** The first level at whose end the running sum `cum` (length levels + 1) reaches `value`; the last level if none. */
function levelReaching(cum: readonly Decimal[], value: Decimal): number {
  let low = 0;
  let high = cum.length - 2;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cum[mid + 1]!.gte(value)) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Sum of effective prices over the first `quantity` of the book: the signed cost is this for a buy, minus it for a sell. */
export function effectiveAt(venue: PreparedVenue, quantity: Decimal): Decimal {
  if (quantity.isZero()) return ZERO;
  const i = levelOf(venue, quantity);
  return venue.cumEffective[i]!.plus(venue.effective[i]!.times(quantity.minus(venue.cumQuantity[i]!)));
}

/** Price x quantity over the stretch of the book from `from` to `from + quantity` (quantity > 0), and the worst price it reaches. */
export function walk(venue: PreparedVenue, from: Decimal, quantity: Decimal): { notional: Decimal; worstPrice: Decimal } {
  const to = positionAfter(from, quantity);
  const i = levelOf(venue, to);
  const notional = notionalAt(venue, to, i);
  return { notional: from.isZero() ? notional : notional.minus(notionalAt(venue, from)), worstPrice: venue.levels[i]!.price };
}

/**
 * `from + quantity`, a position in the book. Most stretches start at the top (from 0), and decimal
 * arithmetic allocates even to add zero: on the router's hot path that shows, so it is skipped.
 */
export function positionAfter(from: Decimal, quantity: Decimal): Decimal {
  return from.isZero() ? quantity : from.plus(quantity);
}

/** How many levels, best first, are at prices no worse than `limit` (all of them without one). */
export function levelsWithin(venue: PreparedVenue, limit: Decimal | null): number {
  if (limit === null) return venue.levels.length;
  let low = 0;
  let high = venue.levels.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (withinLimit(venue.side, venue.levels[mid]!.price, limit)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Book quantity at prices no worse than `limit` (all of it without one). */
export function depthWithin(venue: PreparedVenue, limit: Decimal | null): Decimal {
  return venue.cumQuantity[levelsWithin(venue, limit)]!;
}

export function withinLimit(side: Side, price: Decimal, limit: Decimal): boolean {
  return side === 'BUY' ? price.lte(limit) : price.gte(limit);
}


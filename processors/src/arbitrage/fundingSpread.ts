import { Decimal } from '@crossvenue/schemas';
import { BPS, walkBook } from './bookWalk.ts';
import { pairSpread, type SpotSpread, type SpreadLimits, type SpreadVenue } from './spotSpread.ts';

export const YEAR_MS = 365 * 24 * 3_600_000;
const UNBOUNDED = new Decimal(Infinity);

/** One place as the funding finder sees it: its book, fees, rules and caps, and what funding a long position there pays. */
export interface FundingSide extends SpreadVenue {
  /** Funding a long position here pays a year, as a fraction of its value (a short receives it): 0 for spot. */
  longApr: Decimal;
}

export interface FundingLimits extends SpreadLimits {
  entryApr: Decimal;
  /** How long the position is expected to be held: the funding it earns over this long is counted. */
  holdMs: number;
}

/** A funding position worth opening: buy `quantity` on `buyVenue` (the long side), sell it on `sellVenue` (the short side). */
export interface FundingEntry extends SpotSpread {
  /** The funding differential, annualized: what the short side receives less what the long side pays. */
  apr: Decimal;
  /** Funding over holdMs at `apr` on the short side's notional, in quote. */
  expectedFunding: Decimal;
  /** What closing `quantity` would give at today's books: the long side sold into its bids, the short side bought back from its asks, both fees; usually negative. */
  exitEdge: Decimal;
  /** expectedEdge + exitEdge + expectedFunding over the buy notional, in bps (4 places, rounded down). */
  netEdgeBps: Decimal;
}

/**
 * The best funding position to open: for every ordered pair (long side, short side) whose
 * annualized differential reaches `entryApr`, the entry is walked as a spread (findSpotSpread's
 * pair walk: depth, fees, balances, lots, minimums) for as long as the next unit's entry edge,
 * plus the funding it would earn over `holdMs`, less closing it at the tops of today's books,
 * still leaves `minEdgeBps`; then the whole is costed exactly: entry edge + the exit walked at
 * that quantity + the funding, at least `minEdgeBps` of the buy notional. The pair with the
 * largest net edge in quote wins.
 *
 * Today's books stand in for the exit's: the basis may move meanwhile (the stop bounds that), and
 * the funding differential is taken to last `holdMs` at today's rates. Each side's own funding is
 * on its own notional; it is counted here on the short side's, which differs by the basis.
 */
export function findFundingEntry(sides: readonly FundingSide[], limits: FundingLimits): FundingEntry | null {
  let best: FundingEntry | null = null;
  for (const long of sides) {
    for (const short of sides) {
      if (long === short) continue;
      const found = pairEntry(long, short, limits);
      if (found && (!best || netOf(found).gt(netOf(best)))) best = found;
    }
  }
  return best;
}

function pairEntry(long: FundingSide, short: FundingSide, limits: FundingLimits): FundingEntry | null {
  const apr = short.longApr.minus(long.longApr);
  if (apr.lt(limits.entryApr)) return null;
  const [bid, ask] = [long.bids[0], short.asks[0]];
  const longAsk = long.asks[0];
  if (!bid || !ask || !longAsk) return null;
  const holdShare = new Decimal(limits.holdMs).dividedBy(YEAR_MS);
  const fundingBps = apr.times(holdShare).times(BPS);
  const topExitBps = exitEdge(new Decimal(bid.price), new Decimal(ask.price), long, short).dividedBy(longAsk.price).times(BPS);
  const entry = pairSpread(long, short, { ...limits, minEdgeBps: limits.minEdgeBps.minus(fundingBps).minus(topExitBps) });
  if (!entry) return null;
  const { quantity } = entry;
  const sold = walkBook(long.bids, 'SELL', quantity);
  const bought = walkBook(short.asks, 'BUY', quantity);
  if (sold.quantity.lt(quantity) || bought.quantity.lt(quantity)) return null;
  const exit = exitEdge(sold.notional, bought.notional, long, short);
  const expectedFunding = quantity.times(entry.expectedSellPrice).times(apr).times(holdShare);
  const netEdgeBps = entry.expectedEdge.plus(exit).plus(expectedFunding).dividedBy(quantity.times(entry.expectedBuyPrice)).times(BPS).toDecimalPlaces(4, Decimal.ROUND_DOWN);
  if (netEdgeBps.lt(limits.minEdgeBps)) return null;
  return { ...entry, apr, expectedFunding, exitEdge: exit, netEdgeBps };
}

/** Selling the long side for `proceeds` and buying the short side back for `cost`, both taker fees paid. */
function exitEdge(proceeds: Decimal, cost: Decimal, long: FundingSide, short: FundingSide): Decimal {
  return proceeds.times(new Decimal(1).minus(long.takerFee)).minus(cost.times(short.takerFee.plus(1)));
}

function netOf(entry: FundingEntry): Decimal {
  return entry.expectedEdge.plus(entry.exitEdge).plus(entry.expectedFunding);
}

/**
 * How to close `quantity` of a position long on `long` and short on `short`: buy it back along
 * the short side's asks, sell it along the long side's bids, at any edge (closing is decided
 * already), IOC limits `legSlippageBps` past the worst level each reaches. Closing needs no fresh
 * money (a perpetual's margin is released, the spot side sells what it holds), so only the
 * quantity, the books and the venues' lots and minimums bound it; null when nothing can be closed.
 */
export function closingPlan(long: SpreadVenue, short: SpreadVenue, quantity: Decimal, legSlippageBps: Decimal): SpotSpread | null {
  const unbounded = (side: SpreadVenue): SpreadVenue => ({ ...side, quoteFree: UNBOUNDED, baseFree: UNBOUNDED, inventoryRoom: { buy: UNBOUNDED, sell: UNBOUNDED } });
  return pairSpread(unbounded(short), unbounded(long), { minEdgeBps: UNBOUNDED.negated(), maxQuantity: quantity, openNotionalRoom: UNBOUNDED, legSlippageBps });
}

import { Decimal, isMultipleOf, roundToStep, type PriceLevel } from '@crossvenue/schemas';
import { BPS, throughPrice, walkBook } from './bookWalk.ts';

/** One venue as the finder sees it: its book, fee, rules and what may still be done there. */
export interface SpreadVenue {
  venue: string;
  asks: readonly PriceLevel[];
  bids: readonly PriceLevel[];
  takerFee: Decimal;
  /** Lot and tick; null where the venue sets none. */
  quantityStep: Decimal | null;
  priceTick: Decimal | null;
  minQuantity: Decimal | null;
  minNotional: Decimal | null;
  /** Free quote and base balance. */
  quoteFree: Decimal;
  baseFree: Decimal;
  /** How much more base the inventory limit lets it buy here, and sell here. */
  inventoryRoom: { buy: Decimal; sell: Decimal };
}

export interface SpreadLimits {
  minEdgeBps: Decimal;
  maxQuantity: Decimal;
  /** Quote notional a new group may still put in flight (maxOpenNotional less what is open). */
  openNotionalRoom: Decimal;
  legSlippageBps: Decimal;
}

/** A spread worth trading: buy `quantity` on `buyVenue`, sell it on `sellVenue`. */
export interface SpotSpread {
  buyVenue: string;
  sellVenue: string;
  quantity: Decimal;
  /** Average prices walking each book at `quantity`. */
  expectedBuyPrice: Decimal;
  expectedSellPrice: Decimal;
  /** Sell proceeds less buy cost less both taker fees, in quote. */
  expectedEdge: Decimal;
  /** expectedEdge over the buy notional, in bps (4 places, rounded down). */
  expectedEdgeBps: Decimal;
  /** The IOC limits: the worst level each side reaches, `legSlippageBps` further, on the venue's tick. */
  buyLimit: Decimal;
  sellLimit: Decimal;
}

/**
 * The best cross-venue spot spread: for every ordered pair of venues it buys along A's asks and
 * sells along B's bids, level against level, for as long as the next unit still earns
 * `minEdgeBps` net of both taker fees (so the whole does too), within maxQuantity, the open
 * notional room, A's free quote (at the IOC limit, fee included, as the venue locks it), B's free
 * base and the inventory room on each; then rounds down to both venues' lots and checks their
 * minimum quantity and notional. The pair with the largest expected edge in quote wins.
 *
 * Not counted, because the inputs cannot say it honestly: the time the legs take to arrive (no
 * per-venue order latency reaches a strategy; book age is bounded by the caller instead), and a
 * cost to close later (both legs trade at once, so a captured spread leaves nothing to close; what
 * a failed leg leaves is bounded by the unwind's cost limit, not forecast here).
 */
export function findSpotSpread(venues: readonly SpreadVenue[], limits: SpreadLimits): SpotSpread | null {
  let best: SpotSpread | null = null;
  for (const buy of venues) {
    for (const sell of venues) {
      if (buy === sell) continue;
      const found = pairSpread(buy, sell, limits);
      if (found && (!best || found.expectedEdge.gt(best.expectedEdge))) best = found;
    }
  }
  return best;
}

/** The spread of one ordered pair: buy on `buy`, sell on `sell` (findSpotSpread's walk, for callers that fix the pair). */
export function pairSpread(buy: SpreadVenue, sell: SpreadVenue, limits: SpreadLimits): SpotSpread | null {
  const quantity = lotsOf(profitableQuantity(buy, sell, limits), [buy.quantityStep, sell.quantityStep]);
  if (quantity.lte(0)) return null;
  const bought = walkBook(buy.asks, 'BUY', quantity);
  const sold = walkBook(sell.bids, 'SELL', quantity);
  const buyLimit = throughPrice(bought.worst!, 'BUY', limits.legSlippageBps, buy.priceTick);
  // The venue locks the limit price times the quantity, and the fee on top.
  // Once more at what the quote affords at this limit: a smaller quantity reaches no worse a level, so it fits.
  if (quantity.times(buyLimit).times(buy.takerFee.plus(1)).gt(buy.quoteFree)) {
    return pairSpread(buy, sell, { ...limits, maxQuantity: buy.quoteFree.dividedBy(buyLimit.times(buy.takerFee.plus(1))) });
  }
  const expectedBuyPrice = bought.notional.dividedBy(quantity);
  const expectedSellPrice = sold.notional.dividedBy(quantity);
  if (!tradable(buy, quantity, expectedBuyPrice) || !tradable(sell, quantity, expectedSellPrice)) return null;
  const expectedEdge = sold.notional.times(new Decimal(1).minus(sell.takerFee)).minus(bought.notional.times(buy.takerFee.plus(1)));
  return {
    buyVenue: buy.venue,
    sellVenue: sell.venue,
    quantity,
    expectedBuyPrice,
    expectedSellPrice,
    expectedEdge,
    expectedEdgeBps: expectedEdge.dividedBy(bought.notional).times(BPS).toDecimalPlaces(4, Decimal.ROUND_DOWN),
    buyLimit,
    sellLimit: throughPrice(sold.worst!, 'SELL', limits.legSlippageBps, sell.priceTick),
  };
}

/** Walks A's asks against B's bids while the marginal unit earns minEdgeBps, within the caps. */
function profitableQuantity(buy: SpreadVenue, sell: SpreadVenue, limits: SpreadLimits): Decimal {
  const cap = Decimal.min(limits.maxQuantity, buy.inventoryRoom.buy, sell.inventoryRoom.sell, sell.baseFree);
  let quantity = new Decimal(0);
  let notional = new Decimal(0);
  let [i, j] = [0, 0];
  let [askLeft, bidLeft] = [level(buy.asks, 0), level(sell.bids, 0)];
  while (askLeft && bidLeft && quantity.lt(cap)) {
    const { price: ask } = askLeft;
    const net = bidLeft.price.times(new Decimal(1).minus(sell.takerFee)).minus(ask.times(buy.takerFee.plus(1)));
    if (net.dividedBy(ask).times(BPS).lt(limits.minEdgeBps)) break;
    const roomByNotional = limits.openNotionalRoom.minus(notional).dividedBy(ask);
    const take = Decimal.min(askLeft.quantity, bidLeft.quantity, cap.minus(quantity), roomByNotional);
    if (take.lte(0)) break;
    quantity = quantity.plus(take);
    notional = notional.plus(take.times(ask));
    askLeft = askLeft.quantity.gt(take) ? { price: ask, quantity: askLeft.quantity.minus(take) } : level(buy.asks, ++i);
    bidLeft = bidLeft.quantity.gt(take) ? { price: bidLeft.price, quantity: bidLeft.quantity.minus(take) } : level(sell.bids, ++j);
  }
  return quantity;
}

function level(levels: readonly PriceLevel[], index: number): { price: Decimal; quantity: Decimal } | null {
  const found = levels[index];
  return found ? { price: new Decimal(found.price), quantity: new Decimal(found.quantity) } : null;
}

/**
 * The largest quantity at most `quantity` that is a whole number of every lot. Rounding down to
 * one lot and then the other settles at once for lots that divide each other (the usual powers
 * of ten); the loop covers the rest, each pass only lowering the quantity.
 */
export function lotsOf(quantity: Decimal, steps: ReadonlyArray<Decimal | null>): Decimal {
  const lots = steps.filter((step): step is Decimal => step !== null && step.gt(0));
  let rounded = quantity;
  while (rounded.gt(0) && !lots.every((step) => isMultipleOf(rounded, step))) {
    for (const step of lots) rounded = roundToStep(rounded, step, 'FLOOR');
  }
  return Decimal.max(rounded, 0);
}

/** At least the venue's minimum quantity and notional. */
export function tradable(venue: Pick<SpreadVenue, 'minQuantity' | 'minNotional'>, quantity: Decimal, price: Decimal): boolean {
  return quantity.gte(venue.minQuantity ?? 0) && quantity.times(price).gte(venue.minNotional ?? 0);
}

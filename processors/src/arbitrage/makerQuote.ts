import { Decimal, roundToStep, type Side } from '@crossvenue/schemas';
import { BPS, opposite, walkBook } from './bookWalk.ts';
import type { GroupPlan } from './OrderGroup.ts';
import { lotsOf, tradable, type SpreadLimits, type SpreadVenue } from './spotSpread.ts';

/** The maker venue: a SpreadVenue whose fee is its maker fee. */
export type MakerVenue = Omit<SpreadVenue, 'takerFee'> & { makerFee: Decimal };

/** A post-only order to rest on the maker venue, hedged on `takerVenue` as it fills. */
export interface MakerQuote extends GroupPlan {
  makerVenue: string;
  takerVenue: string;
  makerSide: Side;
  makerPrice: Decimal;
}

/**
 * Where a post-only order on the maker venue earns at least `minEdgeBps` once each fill is hedged
 * by a taker order on another venue at that venue's book (walked at the full quantity) and both
 * fees are paid. A maker buy may bid at most hedge × (1 − taker fee) / (1 + maker fee + edge); a
 * maker sell must ask at least hedge × (1 + taker fee + edge) / (1 − maker fee) (edge in bps of
 * the buy notional, as everywhere). It quotes the most aggressive price that keeps the edge
 * without crossing the maker book (post-only would be refused): one tick inside the other side
 * at most; and only a price that is at least the maker book's best on its side, since an order
 * resting behind the best would only tie up the balance. The side and taker venue with the
 * largest expected edge win.
 */
export function quoteMaker(maker: MakerVenue, takers: readonly SpreadVenue[], limits: SpreadLimits): MakerQuote | null {
  let best: MakerQuote | null = null;
  for (const taker of takers) {
    for (const side of ['BUY', 'SELL'] as const) {
      const found = quoteOne(maker, taker, side, limits);
      if (found && (!best || found.expectedEdge.gt(best.expectedEdge))) best = found;
    }
  }
  return best;
}

function quoteOne(maker: MakerVenue, taker: SpreadVenue, makerSide: Side, limits: SpreadLimits): MakerQuote | null {
  const hedgeSide = opposite(makerSide);
  const hedgeLevels = hedgeSide === 'SELL' ? taker.bids : taker.asks;
  const top = hedgeLevels[0];
  if (!top) return null;
  // The hedge's best price bounds the maker's price, so quote and notional caps at it are conservative.
  const reference = new Decimal(top.price);
  const depth = hedgeLevels.reduce((sum, level) => sum.plus(level.quantity), new Decimal(0));
  const caps =
    makerSide === 'BUY'
      ? [maker.inventoryRoom.buy, maker.quoteFree.dividedBy(reference.times(maker.makerFee.plus(1))), taker.inventoryRoom.sell, taker.baseFree]
      : [maker.inventoryRoom.sell, maker.baseFree, taker.inventoryRoom.buy, taker.quoteFree.dividedBy(reference.times(taker.takerFee.plus(1)))];
  const quantity = lotsOf(Decimal.min(limits.maxQuantity, depth, limits.openNotionalRoom.dividedBy(reference), ...caps), [maker.quantityStep, taker.quantityStep]);
  if (quantity.lte(0)) return null;
  const hedge = walkBook(hedgeLevels, hedgeSide, quantity).notional.dividedBy(quantity);
  const edge = limits.minEdgeBps.dividedBy(BPS);
  const one = new Decimal(1);
  const makerPrice = makerSide === 'BUY' ? bidUpTo(maker, hedge.times(one.minus(taker.takerFee)).dividedBy(one.plus(maker.makerFee).plus(edge))) : askDownTo(maker, hedge.times(one.plus(taker.takerFee).plus(edge)).dividedBy(one.minus(maker.makerFee)));
  if (makerPrice === null || !tradable(maker, quantity, makerPrice) || !tradable(taker, quantity, hedge)) return null;
  const [buyPrice, sellPrice, buyFee, sellFee] = makerSide === 'BUY' ? [makerPrice, hedge, maker.makerFee, taker.takerFee] : [hedge, makerPrice, taker.takerFee, maker.makerFee];
  const expectedEdge = quantity.times(sellPrice.times(one.minus(sellFee)).minus(buyPrice.times(one.plus(buyFee))));
  return {
    makerVenue: maker.venue,
    takerVenue: taker.venue,
    makerSide,
    makerPrice,
    buyVenue: makerSide === 'BUY' ? maker.venue : taker.venue,
    sellVenue: makerSide === 'BUY' ? taker.venue : maker.venue,
    quantity,
    expectedBuyPrice: buyPrice,
    expectedSellPrice: sellPrice,
    expectedEdge,
    expectedEdgeBps: expectedEdge.dividedBy(quantity.times(buyPrice)).times(BPS).toDecimalPlaces(4, Decimal.ROUND_DOWN),
  };
}

/** The highest bid at most `most`, on the tick, below the maker book's best ask; null unless it is at least the best bid. */
function bidUpTo(maker: MakerVenue, most: Decimal): Decimal | null {
  let price = onTick(most, maker.priceTick, 'FLOOR');
  const ask = maker.asks[0];
  if (ask && price.gte(ask.price)) price = new Decimal(ask.price).minus(maker.priceTick ?? SMALLEST);
  const bid = maker.bids[0];
  return price.gt(0) && (!bid || price.gte(bid.price)) ? price : null;
}

/** The lowest ask at least `least`, on the tick, above the maker book's best bid; null unless it is at most the best ask. */
function askDownTo(maker: MakerVenue, least: Decimal): Decimal | null {
  let price = onTick(least, maker.priceTick, 'CEIL');
  const bid = maker.bids[0];
  if (bid && price.lte(bid.price)) price = new Decimal(bid.price).plus(maker.priceTick ?? SMALLEST);
  const ask = maker.asks[0];
  return !ask || price.lte(ask.price) ? price : null;
}

/** The step of a price whose venue gives no tick: the 8 places prices are written to. */
const SMALLEST = new Decimal('0.00000001');

function onTick(price: Decimal, tick: Decimal | null, mode: 'FLOOR' | 'CEIL'): Decimal {
  return tick === null ? price.toDecimalPlaces(8, mode === 'FLOOR' ? Decimal.ROUND_FLOOR : Decimal.ROUND_CEIL) : roundToStep(price, tick, mode);
}

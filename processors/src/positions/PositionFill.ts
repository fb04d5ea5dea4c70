import {
  fillIdentity,
  InvalidInputError,
  parseDecimal,
  parseSymbol,
  type Decimal,
  type Fill,
  type Side,
} from '@crossvenue/schemas';

/**
 * A fill parsed for folding: decimals as `Decimal`, with the two keys that matter here. Its
 * identity is (venue, account, venueTradeId), as DESIGN.md invariant 2 states: a second fill with
 * the same identity is the same execution, however it reached us.
 */
export interface PositionFill {
  portfolio: string;
  account: string;
  venue: string;
  instrument: string;
  tradeId: string;
  side: Side;
  price: Decimal;
  quantity: Decimal;
  fee: Decimal;
  feeCurrency: string;
  venueTimeMs: number;
}

/**
 * The same key as the compacted positions topic: portfolio|account|venue|instrument, where '|'
 * never occurs (see the topic catalogue).
 */
export function positionKey(fill: Pick<PositionFill, 'portfolio' | 'account' | 'venue' | 'instrument'>): string {
  return `${fill.portfolio}|${fill.account}|${fill.venue}|${fill.instrument}`;
}

/**
 * The canonical order fills of one position are folded in: venue time, then trade id. Within one
 * position key venue and account are fixed, so this order is total, and the fold of a set of fills
 * does not depend on the order they arrived in.
 */
export function compareFills(a: PositionFill, b: PositionFill): number {
  if (a.venueTimeMs !== b.venueTimeMs) return a.venueTimeMs - b.venueTimeMs;
  return a.tradeId < b.tradeId ? -1 : a.tradeId > b.tradeId ? 1 : 0;
}

/** The same execution reported twice must say the same thing; anything else is a venue or connector bug. */
export function sameExecution(a: PositionFill, b: PositionFill): boolean {
  return (
    positionKey(a) === positionKey(b) &&
    a.side === b.side &&
    a.price.eq(b.price) &&
    a.quantity.eq(b.quantity) &&
    a.fee.eq(b.fee) &&
    a.feeCurrency === b.feeCurrency &&
    a.venueTimeMs === b.venueTimeMs
  );
}

/** Parses a `Fill` message (decimal strings) at the boundary; throws InvalidInputError naming the field. */
export function positionFillOf(fill: Fill): PositionFill {
  const where = `fill ${fillIdentity({ venue: fill.venue, account: fill.account, tradeId: fill.venueTradeId })}`;
  parseSymbol(fill.instrument);
  const quantity = parseDecimal(fill.quantity, `${where} quantity`);
  const price = parseDecimal(fill.price, `${where} price`);
  // isZero/isNegative rather than lte(0), which builds a Decimal zero per call: this runs per fill.
  if (quantity.isZero() || quantity.isNegative()) throw new InvalidInputError(`${where}: quantity ${fill.quantity} must be positive`);
  if (price.isZero() || price.isNegative()) throw new InvalidInputError(`${where}: price ${fill.price} must be positive`);
  return {
    portfolio: fill.portfolio,
    account: fill.account,
    venue: fill.venue,
    instrument: fill.instrument,
    tradeId: fill.venueTradeId,
    side: fill.side,
    price,
    quantity,
    fee: parseDecimal(fill.fee, `${where} fee`),
    feeCurrency: fill.feeCurrency,
    venueTimeMs: fill.venueTimeMs,
  };
}

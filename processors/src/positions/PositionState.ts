import { Decimal } from '@crossvenue/schemas';
import type { PositionFill } from './PositionFill.ts';

/** One position folded from its fills, in the instrument's quote currency. */
export interface PositionState {
  portfolio: string;
  account: string;
  venue: string;
  instrument: string;
  /** Signed: negative is short. */
  quantity: Decimal;
  /** Weighted over the fills that opened the current position; null when flat. */
  averageEntryPrice: Decimal | null;
  /** Booked on reductions, before fees. */
  realizedPnl: Decimal;
  /** Sum per fee currency; negative when rebates exceed fees. */
  fees: ReadonlyMap<string, Decimal>;
  fillCount: number;
  lastFill: PositionFill | null;
  /** Funding received (positive) or paid, in the quote currency: every payment once, in any order (a sum). */
  funding: Decimal;
  fundingCount: number;
  /** The venue time of the latest payment; 0 before any. */
  lastFundingMs: number;
}

const ZERO = new Decimal(0);

export function flatPosition(key: Pick<PositionFill, 'portfolio' | 'account' | 'venue' | 'instrument'>): PositionState {
  const { portfolio, account, venue, instrument } = key;
  return { portfolio, account, venue, instrument, quantity: ZERO, averageEntryPrice: null, realizedPnl: ZERO, fees: new Map(), fillCount: 0, lastFill: null, funding: ZERO, fundingCount: 0, lastFundingMs: 0 };
}

/**
 * One step of the fold. An increase moves the average entry to the quantity-weighted mean; a
 * reduction books (exit - entry) x closed quantity, signed by the side held, and keeps the entry;
 * a fill that goes through zero closes the old position and opens the rest at the fill price.
 * These steps do not commute, which is why callers fold in the canonical order (`compareFills`).
 */
export function applyFill(position: PositionState, fill: PositionFill): PositionState {
  const signed = fill.side === 'BUY' ? fill.quantity : fill.quantity.negated();
  const held = position.quantity;
  const quantity = held.plus(signed);
  const fees = new Map(position.fees);
  fees.set(fill.feeCurrency, (fees.get(fill.feeCurrency) ?? ZERO).plus(fill.fee));
  const next = { ...position, quantity, fees, fillCount: position.fillCount + 1, lastFill: fill };

  if (held.isZero() || held.isNegative() === signed.isNegative()) {
    const entry = position.averageEntryPrice ?? fill.price;
    const averageEntryPrice = held.abs().times(entry).plus(fill.quantity.times(fill.price)).dividedBy(quantity.abs());
    return { ...next, averageEntryPrice };
  }
  const entry = position.averageEntryPrice!;
  const closed = Decimal.min(fill.quantity, held.abs());
  const pnlPerUnit = held.isNegative() ? entry.minus(fill.price) : fill.price.minus(entry);
  const realizedPnl = position.realizedPnl.plus(pnlPerUnit.times(closed));
  const averageEntryPrice = quantity.isZero() ? null : quantity.isNegative() === held.isNegative() ? entry : fill.price;
  return { ...next, realizedPnl, averageEntryPrice };
}

import { Decimal } from '@crossvenue/schemas';
import {
  abs,
  compare,
  dividedBy,
  FOLD_ZERO,
  foldDecimalOf,
  isNegative,
  isZero,
  minus,
  plus,
  times,
  toDecimal,
  type FoldDecimal,
} from './foldDecimal.ts';
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

type PositionKey = Pick<PositionFill, 'portfolio' | 'account' | 'venue' | 'instrument'>;

const ZERO = new Decimal(0);

export function flatPosition(key: PositionKey): PositionState {
  const { portfolio, account, venue, instrument } = key;
  return { portfolio, account, venue, instrument, quantity: ZERO, averageEntryPrice: null, realizedPnl: ZERO, fees: new Map(), fillCount: 0, lastFill: null, funding: ZERO, fundingCount: 0, lastFundingMs: 0 };
}

/**
 * The running fold of one position's fills, changed in place and in the fold's arithmetic
 * (foldDecimal): PositionLedger keeps one per position and reads it out as a PositionState
 * (`state`, in Decimal) only when the position is read, not at every fill.
 */
export class PositionFold {
  private quantity = FOLD_ZERO;
  private averageEntryPrice: FoldDecimal | null = null;
  private realizedPnl = FOLD_ZERO;
  private readonly fees = new Map<string, FoldDecimal>();
  private fillCount = 0;
  private lastFill: PositionFill | null = null;

  /** Goes on from a state read out before (a base, a state restored from a snapshot). */
  static of(state: PositionState): PositionFold {
    const fold = new PositionFold();
    fold.quantity = foldDecimalOf(state.quantity);
    fold.averageEntryPrice = state.averageEntryPrice && foldDecimalOf(state.averageEntryPrice);
    fold.realizedPnl = foldDecimalOf(state.realizedPnl);
    for (const [currency, amount] of state.fees) fold.fees.set(currency, foldDecimalOf(amount));
    fold.fillCount = state.fillCount;
    fold.lastFill = state.lastFill;
    return fold;
  }

  /**
   * One step of the fold. An increase moves the average entry to the quantity-weighted mean; a
   * reduction books (exit - entry) x closed quantity, signed by the side held, and keeps the entry;
   * a fill that goes through zero closes the old position and opens the rest at the fill price.
   * These steps do not commute, which is why callers fold in the canonical order (`compareFills`).
   */
  apply(fill: PositionFill): this {
    // Converted at each step rather than kept per fill: keeping them costs more (the garbage
    // collector moves every kept amount out of the young generation) than a refold converting again.
    const price = foldDecimalOf(fill.price);
    const size = foldDecimalOf(fill.quantity);
    const buy = fill.side === 'BUY';
    const held = this.quantity;
    const quantity = buy ? plus(held, size) : minus(held, size);
    this.fees.set(fill.feeCurrency, plus(this.fees.get(fill.feeCurrency) ?? FOLD_ZERO, foldDecimalOf(fill.fee)));
    this.quantity = quantity;
    this.fillCount += 1;
    this.lastFill = fill;

    if (isZero(held) || isNegative(held) !== buy) {
      const entry = this.averageEntryPrice ?? price;
      this.averageEntryPrice = dividedBy(plus(times(abs(held), entry), times(size, price)), abs(quantity));
      return this;
    }
    const entry = this.averageEntryPrice!;
    const heldSize = abs(held);
    const closed = compare(size, heldSize) <= 0 ? size : heldSize;
    const pnlPerUnit = isNegative(held) ? minus(entry, price) : minus(price, entry);
    this.realizedPnl = plus(this.realizedPnl, times(pnlPerUnit, closed));
    this.averageEntryPrice = isZero(quantity) ? null : isNegative(quantity) === isNegative(held) ? entry : price;
    return this;
  }

  /** The fold as a PositionState of `key`, in Decimal: no funding (the ledger adds it). */
  state(key: PositionKey): PositionState {
    return {
      ...flatPosition(key),
      quantity: toDecimal(this.quantity),
      averageEntryPrice: this.averageEntryPrice && toDecimal(this.averageEntryPrice),
      realizedPnl: toDecimal(this.realizedPnl),
      fees: new Map([...this.fees].map(([currency, amount]) => [currency, toDecimal(amount)])),
      fillCount: this.fillCount,
      lastFill: this.lastFill,
    };
  }
}

/** The fold of `fills` in the order given (callers sort them canonically): one position's, for a one-off fold. */
export function foldFills(key: PositionKey, fills: readonly PositionFill[]): PositionState {
  const fold = new PositionFold();
  for (const fill of fills) fold.apply(fill);
  return fold.state(key);
}

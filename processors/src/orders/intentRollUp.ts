import { Decimal, isTerminalOrderState } from '@crossvenue/schemas';
import { filledQuantity, possibleFill, type ChildOrder } from './ChildOrder.ts';

/** An intent's execution seen through its child orders; quantities in the base asset. */
export interface IntentRollUp {
  filledQuantity: Decimal;
  /** Volume-weighted over the fills held; null before the first fill arrives. */
  averagePrice: Decimal | null;
  /** Price × quantity summed over the fills held: what averagePrice divides, exact. */
  fillNotional: Decimal;
  /**
   * Quantity of the fills held: below filledQuantity while fills of what the order events said
   * filled are still on their way (the two come on separate topics).
   */
  heldFillQuantity: Decimal;
  feesByCurrency: ReadonlyMap<string, Decimal>;
  /** amount - filled, never below zero. */
  remainingQuantity: Decimal;
  /** Quantity of live children that may still execute (UNKNOWN children count in full). */
  workingQuantity: Decimal;
  /** Quantity held by UNKNOWN children: possibly filled until the venue says otherwise. */
  unknownQuantity: Decimal;
  /** True when no child can execute any more (and there is at least one child). */
  terminal: boolean;
}

const ZERO = new Decimal(0);

export function rollUpIntent(amount: Decimal, children: readonly ChildOrder[]): IntentRollUp {
  let filled = ZERO;
  let fillQuantity = ZERO;
  let fillNotional = ZERO;
  let working = ZERO;
  let unknown = ZERO;
  const fees = new Map<string, Decimal>();
  for (const child of children) {
    const childFilled = filledQuantity(child);
    filled = filled.plus(childFilled);
    working = working.plus(possibleFill(child).minus(childFilled));
    if (child.state === 'UNKNOWN') unknown = unknown.plus(child.quantity.minus(childFilled));
    for (const fill of child.fills.values()) {
      fillQuantity = fillQuantity.plus(fill.quantity);
      fillNotional = fillNotional.plus(fill.price.times(fill.quantity));
      fees.set(fill.feeCurrency, (fees.get(fill.feeCurrency) ?? ZERO).plus(fill.fee));
    }
  }
  return {
    filledQuantity: filled,
    averagePrice: fillQuantity.isZero() ? null : fillNotional.div(fillQuantity),
    fillNotional,
    heldFillQuantity: fillQuantity,
    feesByCurrency: fees,
    remainingQuantity: Decimal.max(amount.minus(filled), ZERO),
    workingQuantity: working,
    unknownQuantity: unknown,
    terminal: children.length > 0 && children.every((child) => isTerminalOrderState(child.state)),
  };
}

import { Decimal, formatDecimal, formatNullableDecimal, type AlgoProgress, type IntentState, type StandardOrder } from '@crossvenue/schemas';
import type { ChildIntents, ChildProgress, ParentIntent } from './ChildIntents.ts';
import type { IntentStatusView } from './intentStatus.ts';

const ZERO = new Decimal(0);

/** A parent intent that is an order worked in child orders (a TWAP, an iceberg): its current terms. */
export interface OrderParent extends ParentIntent {
  order: StandardOrder;
}

/** How an order parent ended for good, with nothing working: CANCELED once cancelled, DONE once filled whole; null before. */
export function filledOrCanceled<P extends OrderParent>(children: ChildIntents<P>, parent: P): IntentState | null {
  if (children.working(parent)) return null;
  if (parent.status === 'CANCELED') return 'CANCELED';
  return parent.filled.gte(parent.order.amount) ? 'DONE' : null;
}

/**
 * An order parent's status, as an order's (FIX OrdStatus, CumQty, LeavesQty, AvgPx) over what its
 * children executed: CANCELED or DONE once it ended, PARTIALLY_FILLED once a child filled, WORKING
 * once it sent one (`started`), ACCEPTED before; with the algorithm's progress for a TWAP.
 */
export function orderParentView<P extends OrderParent>(children: ChildIntents<P>, parent: P, child: ChildProgress | undefined, started: boolean, algo: AlgoProgress | null): IntentStatusView {
  const { filled, notional, fees } = children.executed(parent, child);
  const requested = parent.order.amount;
  const ended = filledOrCanceled(children, parent);
  let state: IntentState;
  if (ended !== null) state = ended;
  else if (filled.gt(0)) state = 'PARTIALLY_FILLED';
  else if (children.working(parent) || started) state = 'WORKING';
  else state = 'ACCEPTED';
  return {
    intentId: parent.intentId,
    portfolio: parent.portfolio,
    instrument: parent.instrument,
    side: parent.order.side,
    source: parent.source,
    state,
    rule: null,
    reason: null,
    requestedQuantity: formatDecimal(requested),
    filledQuantity: formatDecimal(filled),
    leavesQuantity: formatDecimal(ended === null ? Decimal.max(requested.minus(filled), ZERO) : ZERO),
    averagePrice: formatNullableDecimal(filled.isZero() ? null : notional.div(filled)),
    fees,
    algo,
  };
}

import { Decimal, formatDecimal, InvalidInputError, parseIntentOrder, toIntentOrder, type Intent, type IntentState } from '@crossvenue/schemas';
import { ChildIntents, noChildrenYet, type ChildProgress, type ParentKind } from './ChildIntents.ts';
import type { IntentStatusView } from './intentStatus.ts';
import { orderIntentEnvelope } from './orderIntent.ts';
import { filledOrCanceled, orderParentView, type OrderParent } from './orderParents.ts';

/** One iceberg the execution side holds: its order, and the child to replace after a MODIFY. */
export interface HeldIceberg extends OrderParent {
  /** The working child whose CANCEL was asked (the iceberg was cancelled, or modified since it was sent). */
  cancelAsked: string | null;
  /** The working child was sent with terms a MODIFY has since replaced. */
  stale: boolean;
}

/**
 * Iceberg orders, sliced by us: the book sees at most `icebergQuantity` at a time. Each slice is a
 * child intent of the execution side's own (ChildIntents, `<id>:i<n>`): a GTC limit order at the
 * iceberg's price for the visible quantity (or what is left, if less), routed and risk-checked like
 * any order; the next slice goes once the last has ended with its fills held. A CANCEL cancels the
 * working slice; a MODIFY (price, amount, visible quantity) cancels it and the next slice takes the
 * new terms. Venues that have icebergs natively still see plain limit orders: the router splits
 * across venues, which a venue's own iceberg could not follow.
 */
export class IcebergOrders implements ParentKind<HeldIceberg> {
  readonly children = new ChildIntents<HeldIceberg>('i');

  /** An order with an iceberg quantity, and the CANCEL or MODIFY of one held. */
  takes(message: Intent): boolean {
    return (message.order !== null && message.order.icebergQuantity !== null) || this.children.get(message.intentId) !== undefined;
  }

  /** Folds a PLACE, MODIFY or CANCEL of an iceberg; throws InvalidInputError naming the intent when it cannot be held. */
  apply(message: Intent): HeldIceberg {
    const where = `intent ${message.intentId}`;
    const current = this.children.get(message.intentId);
    if (message.action === 'CANCEL') {
      if (!current) throw new InvalidInputError(`${where}: CANCEL of an unknown iceberg`);
      current.status = 'CANCELED';
      return current;
    }
    if (message.action !== 'PLACE' && message.action !== 'MODIFY') throw new InvalidInputError(`${where}: ${message.action} is not taken by an iceberg (PLACE, MODIFY or CANCEL)`);
    if (message.order === null) throw new InvalidInputError(`${where}: an iceberg needs its order`);
    const order = parseIntentOrder(message.instrument, message.order);
    const visible = order.icebergQuantity;
    // A visible quantity of the whole amount or more is one slice: the order shown whole.
    if (visible === null || order.limitPrice === null || !order.amount.gt(0) || !visible.gt(0)) {
      throw new InvalidInputError(`${where}: an iceberg needs a limit price, a positive amount and a positive icebergQuantity`);
    }
    if (message.action === 'PLACE' && current) throw new InvalidInputError(`${where}: PLACE of an intent that exists; use MODIFY`);
    if (message.action === 'MODIFY') {
      if (!current || current.status !== 'ACTIVE') throw new InvalidInputError(`${where}: MODIFY of an iceberg that is ${current ? 'canceled' : 'unknown'}`);
      if (filledOrCanceled(this.children, current) === 'DONE') throw new InvalidInputError(`${where}: MODIFY of an intent that is done`);
      if (order.side !== current.order.side) throw new InvalidInputError(`${where}: a MODIFY cannot change an iceberg's side; cancel it and place a new one`);
      current.order = order;
      current.stale = this.children.working(current);
      return current;
    }
    const { intentId, portfolio, instrument, account, venues, source } = message;
    const iceberg: HeldIceberg = { intentId, portfolio, instrument, account, venues: [...venues], source, ...noChildrenYet(order.side), order, cancelAsked: null, stale: false };
    this.children.add(iceberg);
    return iceberg;
  }

  /**
   * The next slice when none works and something is left; the CANCEL of the working slice when the
   * iceberg was cancelled or modified since it was sent (once).
   */
  nextChild(iceberg: HeldIceberg, _child: ChildProgress | undefined, nowMs: number): Intent | null {
    const working = iceberg.child;
    if (working !== null) {
      if ((iceberg.status === 'CANCELED' || iceberg.stale) && iceberg.cancelAsked !== working) {
        iceberg.cancelAsked = working;
        return this.cancelOf(iceberg, working, nowMs);
      }
      return null;
    }
    if (iceberg.asked !== null) return this.children.ask(iceberg, null, nowMs);
    iceberg.stale = false;
    const left = iceberg.order.amount.minus(iceberg.filled);
    if (!left.gt(0)) return null;
    const amount = Decimal.min(left, iceberg.order.icebergQuantity!);
    const { side } = iceberg.order;
    const slice = { ...toIntentOrder(iceberg.order), amount: formatDecimal(amount), icebergQuantity: null };
    const why = `iceberg ${iceberg.intentId}: slice of ${formatDecimal(amount)} at ${iceberg.order.limitPrice!.toFixed()}, ${formatDecimal(left)} left`;
    return this.children.ask(iceberg, { side, amount, order: slice, why }, nowMs);
  }

  endedAs(iceberg: HeldIceberg): IntentState | null {
    return filledOrCanceled(this.children, iceberg);
  }

  view(iceberg: HeldIceberg, child: ChildProgress | undefined): IntentStatusView {
    return orderParentView(this.children, iceberg, child, iceberg.nextChild > 0, null);
  }

  /** The CANCEL of a working slice, its message id derived from the slice's, so a repeat is one message. */
  private cancelOf(iceberg: HeldIceberg, childId: string, nowMs: number): Intent {
    const { portfolio, account, instrument } = iceberg;
    const requestedBy = `iceberg ${iceberg.intentId}: ${iceberg.status === 'CANCELED' ? 'cancelled' : 'modified'}`;
    return {
      ...orderIntentEnvelope({ eventId: `${childId}:cancel`, intentId: childId, portfolio, account, instrument, source: 'EXECUTION', requestedBy, createdAtMs: nowMs }),
      venues: [...iceberg.venues],
      action: 'CANCEL',
      order: null,
    };
  }
}

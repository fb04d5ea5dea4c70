import { Decimal, formatDecimal, formatNullableDecimal, InvalidInputError, parseDecimal, type Intent, type IntentState } from '@crossvenue/schemas';
import { ChildIntents, noChildrenYet, type ChildProgress, type ParentIntent, type ParentKind } from './ChildIntents.ts';
import type { IntentStatusView } from './intentStatus.ts';
import { marketOrder } from './orderIntent.ts';

/** After a child that filled nothing (no venue, a risk refusal), the next waits this long, doubling to TARGET_RETRY_MAX_MS. */
export const TARGET_RETRY_MS = 2_000;
export const TARGET_RETRY_MAX_MS = 60_000;

const ZERO = new Decimal(0);

/** One TARGET_POSITION intent the execution side holds: the position to reach and keep. */
export interface HeldTarget extends ParentIntent {
  /** Signed, in the base asset. */
  quantity: Decimal;
}

/**
 * TARGET_POSITION intents (seed 004's declarative core): a signed position per (portfolio,
 * instrument), in one account or across the portfolio's, optionally on some venues only, that the
 * execution side trades toward and then holds. It does so through child intents (ChildIntents,
 * `<id>:t<n>`): market IOC orders for the difference, each routed across venues like any order.
 * The position is the risk engine's (every fill of the portfolio, reconciliation fills included),
 * so a fill from elsewhere, a correction or a child that filled part makes the next child trade
 * the new difference: the target is held, not done once.
 */
export class TargetPositions implements ParentKind<HeldTarget> {
  readonly children = new ChildIntents<HeldTarget>('t');

  takes(message: Intent): boolean {
    return message.kind === 'TARGET_POSITION';
  }

  /** Folds a PLACE, MODIFY or CANCEL of a target; throws InvalidInputError naming the intent when it cannot be held. */
  apply(message: Intent): HeldTarget {
    const where = `intent ${message.intentId}`;
    const current = this.children.get(message.intentId);
    if (message.action === 'CANCEL') {
      if (!current) throw new InvalidInputError(`${where}: CANCEL of an unknown target`);
      current.status = 'CANCELED';
      return current;
    }
    if (message.action !== 'PLACE' && message.action !== 'MODIFY') throw new InvalidInputError(`${where}: ${message.action} is not taken by a TARGET_POSITION intent (PLACE, MODIFY or CANCEL)`);
    if (message.order !== null) throw new InvalidInputError(`${where}: a TARGET_POSITION intent takes targetQuantity, not an order`);
    if (message.targetQuantity === null) throw new InvalidInputError(`${where}: a TARGET_POSITION intent needs targetQuantity (the signed position to hold)`);
    const quantity = parseDecimal(message.targetQuantity, `${where} targetQuantity`);
    if (message.action === 'PLACE' && current) throw new InvalidInputError(`${where}: PLACE of a target that exists; use MODIFY`);
    if (message.action === 'MODIFY') {
      if (!current || current.status !== 'ACTIVE') throw new InvalidInputError(`${where}: MODIFY of a target that is ${current ? 'canceled' : 'unknown'}`);
      // Where it trades stays as placed: a child working there is measured against the same position.
      current.quantity = quantity;
      current.refusal = null;
      return current;
    }
    const { intentId, portfolio, instrument, account, venues, source } = message;
    const target: HeldTarget = { intentId, portfolio, instrument, account, venues: [...venues], source, quantity, ...noChildrenYet(quantity.isNegative() ? 'SELL' : 'BUY') };
    this.children.add(target);
    return target;
  }

  /**
   * The PLACE of the next child when the target needs one now: the difference target - position -
   * what the working child may still fill is not zero, nothing works for it, and a child that
   * filled nothing is not retried before its wait (asked again, the same message, when one asked
   * was not read back). Fills of the child the position counts before its leg holds them make the
   * difference smaller for a moment, never larger: nothing is traded twice.
   */
  nextChild(target: HeldTarget, child: ChildProgress | undefined, nowMs: number, position: () => Decimal): Intent | null {
    const difference = target.quantity.minus(position()).minus(this.children.pending(target, child));
    const waiting = target.refusal !== null && nowMs < target.refusal.atMs + retryWait(target.refusal.inARow);
    if (difference.isZero() || waiting) return this.children.ask(target, null, nowMs);
    const side = difference.isPositive() ? 'BUY' : 'SELL';
    const amount = difference.abs();
    const why = `target ${target.intentId}: ${side} ${formatDecimal(amount)} toward ${formatDecimal(target.quantity)}`;
    return this.children.ask(target, { side, amount, order: marketOrder(side, formatDecimal(amount), false), why }, nowMs);
  }

  /** A target ends only when cancelled: until then it is held, whatever the position. */
  endedAs(target: HeldTarget): IntentState | null {
    return target.status === 'CANCELED' && !this.children.working(target) ? 'CANCELED' : null;
  }

  /**
   * The target's status for its owner. DONE whenever the position is at the target and nothing
   * works for it; WORKING or PARTIALLY_FILLED while it trades toward it; REJECTED with the child's
   * rule while the last child filled nothing and the position is off the target (it is retried);
   * CANCELED once canceled and nothing works. Unlike an order, DONE is not the end: a target is
   * held, so it goes back to PARTIALLY_FILLED (or WORKING) when the position moves away, until it is canceled.
   * Requested is what its children executed plus what is left; filled, the average price and the
   * fees are its children's, over the target's life.
   */
  view(target: HeldTarget, child: ChildProgress | undefined, position: () => Decimal): IntentStatusView {
    const working = this.children.working(target);
    const { filled, notional, fees } = this.children.executed(target, child);
    const off = target.quantity.minus(position());
    let state: IntentState;
    if (target.status === 'CANCELED' && !working) state = 'CANCELED';
    else if (off.isZero() && !working) state = 'DONE';
    else if (!working && target.refusal !== null) state = 'REJECTED';
    else if (filled.gt(0)) state = 'PARTIALLY_FILLED';
    else if (working) state = 'WORKING';
    else state = 'ACCEPTED';
    const leaves = state === 'CANCELED' || state === 'DONE' ? ZERO : off.abs();
    return {
      intentId: target.intentId,
      portfolio: target.portfolio,
      instrument: target.instrument,
      side: off.isZero() ? target.side : off.isPositive() ? 'BUY' : 'SELL',
      source: target.source,
      state,
      rule: state === 'REJECTED' ? target.refusal!.rule : null,
      reason: state === 'REJECTED' ? `${target.refusal!.reason}; retried in ${retryWait(target.refusal!.inARow) / 1000} s` : null,
      requestedQuantity: formatDecimal(filled.plus(leaves)),
      filledQuantity: formatDecimal(filled),
      leavesQuantity: formatDecimal(leaves),
      averagePrice: formatNullableDecimal(filled.isZero() ? null : notional.div(filled)),
      fees,
      algo: null,
    };
  }
}

function retryWait(inARow: number): number {
  return Math.min(TARGET_RETRY_MS * 2 ** Math.max(inARow - 1, 0), TARGET_RETRY_MAX_MS);
}

import {
  Decimal,
  formatDecimal,
  formatNullableDecimal,
  InvalidInputError,
  parseIntentOrder,
  type ExecutionAlgo,
  type Intent,
  type IntentState,
} from '@crossvenue/schemas';
import { ChildIntents, noChildrenYet, type ChildProgress, type ParentKind } from './ChildIntents.ts';
import type { IntentStatusView } from './intentStatus.ts';
import { filledOrCanceled, orderParentView, type OrderParent } from './orderParents.ts';
import { marketOrder } from './orderIntent.ts';

const ZERO = new Decimal(0);

/** One TWAP the execution side holds: the order, and its schedule from the route decision of its PLACE. */
export interface HeldTwap extends OrderParent {
  algo: ExecutionAlgo;
  startedAtMs: number;
  /** The slices of the schedule: ceil(durationMs / sliceIntervalMs). */
  slices: number;
  /** The schedule steps already acted on: one child asked for per step at most, so a refused slice waits for the next. */
  stepsAsked: number;
}

/**
 * TWAP orders: the amount in equal slices of time over the algorithm's duration, each slice a
 * child intent of the execution side's own (ChildIntents, `<id>:s<n>`): an IOC order, market or at
 * the TWAP's limit price, routed across venues like any order and checked by risk. At each step
 * of the schedule the child asks for what the schedule wants filled by then less what was filled
 * (so a slice that filled part, or was refused, is caught up by the next), one child at a time;
 * at the end, the rest, once a step, until it is filled or cancelled. A MODIFY changes the amount
 * or the limit price from the next slice on; a CANCEL stops it.
 */
export class TwapOrders implements ParentKind<HeldTwap> {
  readonly children = new ChildIntents<HeldTwap>('s');

  /** An intent with an algo, and the CANCEL or MODIFY of one held. */
  takes(message: Intent): boolean {
    return message.algo !== null || this.children.get(message.intentId) !== undefined;
  }

  /** Folds a PLACE, MODIFY or CANCEL of a TWAP; throws InvalidInputError naming the intent when it cannot be held. */
  apply(message: Intent, decidedAtMs: number): HeldTwap {
    const where = `intent ${message.intentId}`;
    const current = this.children.get(message.intentId);
    if (message.action === 'CANCEL') {
      if (!current) throw new InvalidInputError(`${where}: CANCEL of an unknown TWAP`);
      current.status = 'CANCELED';
      return current;
    }
    if (message.action !== 'PLACE' && message.action !== 'MODIFY') throw new InvalidInputError(`${where}: ${message.action} is not taken by a TWAP (PLACE, MODIFY or CANCEL)`);
    if (message.order === null || message.algo === null) throw new InvalidInputError(`${where}: a TWAP needs its order and its algo`);
    const order = parseIntentOrder(message.instrument, message.order);
    if (!order.amount.gt(0)) throw new InvalidInputError(`${where}: amount must be positive`);
    const { durationMs, sliceIntervalMs } = message.algo;
    if (durationMs < 1 || sliceIntervalMs < 1) throw new InvalidInputError(`${where}: algo needs a positive durationMs and sliceIntervalMs, got ${durationMs} and ${sliceIntervalMs}`);
    if (message.action === 'PLACE' && current) throw new InvalidInputError(`${where}: PLACE of an intent that exists; use MODIFY`);
    if (message.action === 'MODIFY') {
      if (!current || current.status !== 'ACTIVE') throw new InvalidInputError(`${where}: MODIFY of a TWAP that is ${current ? 'canceled' : 'unknown'}`);
      if (current.filled.gte(current.order.amount) && !this.children.working(current)) throw new InvalidInputError(`${where}: MODIFY of an intent that is done`);
      if (order.side !== current.order.side) throw new InvalidInputError(`${where}: a MODIFY cannot change a TWAP's side; cancel it and place a new one`);
      // The schedule keeps its start: a new amount or duration is spread over what is left of it.
      current.order = order;
      current.algo = message.algo;
      current.slices = Math.ceil(durationMs / sliceIntervalMs);
      return current;
    }
    const { intentId, portfolio, instrument, account, venues, source } = message;
    const twap: HeldTwap = {
      intentId, portfolio, instrument, account, venues: [...venues], source, ...noChildrenYet(order.side),
      order, algo: message.algo, startedAtMs: decidedAtMs, slices: Math.ceil(durationMs / sliceIntervalMs), stepsAsked: 0,
    };
    this.children.add(twap);
    return twap;
  }

  /** The schedule step `nowMs` is in: 1 at the start, up to `slices`; past the end it goes on counting (the rest is asked once a step). */
  private step(twap: HeldTwap, nowMs: number): number {
    return Math.floor(Math.max(nowMs - twap.startedAtMs, 0) / twap.algo.sliceIntervalMs) + 1;
  }

  /** What the schedule wants filled by step `step`: amount x step / slices, all of it from the last slice on. */
  private scheduled(twap: HeldTwap, step: number): Decimal {
    return step >= twap.slices ? twap.order.amount : twap.order.amount.times(step).div(twap.slices);
  }

  /**
   * The next slice when one is due: a schedule step not acted on yet, nothing working, and the
   * schedule wanting more filled than was (asked again, the same message, when one asked was not
   * read back).
   */
  nextChild(twap: HeldTwap, child: ChildProgress | undefined, nowMs: number): Intent | null {
    const step = this.step(twap, nowMs);
    if (this.children.working(twap) || step <= twap.stepsAsked) return this.children.ask(twap, null, nowMs);
    const filled = this.children.executed(twap, child).filled;
    const amount = this.scheduled(twap, step).minus(filled);
    if (!amount.gt(0)) return null;
    twap.stepsAsked = step;
    const { side, limitPrice, reduceOnly } = twap.order;
    // IOC at the TWAP's limit price, or a market slice: what it does not fill now is the next slice's.
    const slice = { ...marketOrder(side, formatDecimal(amount), reduceOnly), limitPrice: formatNullableDecimal(limitPrice) };
    const why = `TWAP ${twap.intentId}: slice at step ${step} of ${twap.slices}, ${side} ${formatDecimal(amount)}`;
    return this.children.ask(twap, { side, amount, order: slice, why }, nowMs);
  }

  /** Filled whole or cancelled, with nothing working: its status is final. */
  endedAs(twap: HeldTwap): IntentState | null {
    return filledOrCanceled(this.children, twap);
  }

  /**
   * The TWAP's status: an order's over its slices (orderParentView), and its schedule: what the
   * schedule wanted filled by the latest step acted on, and the deviation.
   */
  view(twap: HeldTwap, child: ChildProgress | undefined): IntentStatusView {
    const scheduled = twap.stepsAsked === 0 ? ZERO : this.scheduled(twap, twap.stepsAsked);
    const { filled } = this.children.executed(twap, child);
    return orderParentView(this.children, twap, child, twap.stepsAsked > 0, {
      type: twap.algo.type,
      startedAtMs: twap.startedAtMs,
      endsAtMs: twap.startedAtMs + twap.algo.durationMs,
      slices: twap.slices,
      slicesSent: twap.nextChild,
      scheduledQuantity: formatDecimal(scheduled),
      deviation: formatDecimal(filled.minus(scheduled)),
    });
  }
}

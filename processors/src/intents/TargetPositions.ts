import { createHash } from 'node:crypto';
import {
  Decimal,
  formatDecimal,
  formatNullableDecimal,
  InvalidInputError,
  parseDecimal,
  type Intent,
  type IntentSource,
  type IntentState,
  type Side,
} from '@crossvenue/schemas';
import type { IntentRollUp } from '../orders/intentRollUp.ts';
import type { IntentStatusView } from './intentStatus.ts';
import { marketOrder, orderIntentEnvelope } from './orderIntent.ts';

/** How long a child asked for and not read back (its PLACE lost or dead-lettered) waits before it is asked again. */
export const CHILD_ASK_AGAIN_MS = 10_000;
/** After a child that filled nothing (no venue, a risk refusal), the next waits this long, doubling to TARGET_RETRY_MAX_MS. */
export const TARGET_RETRY_MS = 2_000;
export const TARGET_RETRY_MAX_MS = 60_000;

const ZERO = new Decimal(0);

/** One TARGET_POSITION intent the execution side holds: the position to reach and keep, and how far its children got. */
export interface HeldTarget {
  targetId: string;
  portfolio: string;
  instrument: string;
  /** Where the position is measured and traded: one account, or the portfolio's accounts when null; venues, or any when empty. */
  account: string | null;
  venues: readonly string[];
  source: IntentSource;
  /** Signed, in the base asset. */
  quantity: Decimal;
  status: 'ACTIVE' | 'CANCELED';
  /** The number of the next child; its id is childIntentId(targetId, nextChild). */
  nextChild: number;
  /** The child whose PLACE was read and that has not ended yet. */
  child: string | null;
  /** A child asked for (published) whose PLACE was not read yet: what it asked, and when. */
  asked: { side: Side; amount: Decimal; atMs: number } | null;
  /** What the ended children executed, for the status: quantity, notional (price × quantity) and fees. */
  filled: Decimal;
  notional: Decimal;
  fees: Map<string, Decimal>;
  /** The side of the last trade toward the target: what the status states once it is reached. */
  side: Side;
  /** The last child ended with nothing filled: why, when, and how many did so in a row (the retry waits). */
  refusal: { rule: string; reason: string; atMs: number; inARow: number } | null;
}

/** A child intent's state as the target reads it: open (may still fill) or ended, and its roll-up. */
export interface ChildProgress {
  open: boolean;
  requested: Decimal;
  rollUp: Pick<IntentRollUp, 'heldFillQuantity' | 'fillNotional' | 'feesByCurrency'>;
  refusal: { rule: string; reason: string } | null;
}

/**
 * The id of a target's child number `n`: the target's id and the number, or, for a target id too
 * long to take the suffix, a digest of it. A function of the two, so a restarted run that asks
 * again for a child an earlier run asked for (its PLACE not read yet) asks with the same ids, and
 * the second answer is dropped as a repeat.
 */
export function childIntentId(targetId: string, n: number): string {
  const id = `${targetId}:t${n}`;
  return id.length <= 128 ? id : `target-${createHash('sha256').update(targetId, 'utf8').digest('hex').slice(0, 32)}:t${n}`;
}

/**
 * TARGET_POSITION intents (seed 004's declarative core): a signed position per (portfolio,
 * instrument), in one account or across the portfolio's, optionally on some venues only, that the
 * execution side trades toward and then holds. It does so through child intents: market IOC
 * ORDER intents of its own (source EXECUTION) for the difference, each routed across venues like
 * any order and checked by risk leg by leg. One child at a time: the next is asked for only when
 * the last has ended and every fill it made is held, so what it may still fill is never traded
 * twice. The position is the risk engine's (every fill of the portfolio, reconciliation fills
 * included), so a fill from elsewhere, a correction or a child that filled part makes the next
 * child trade the new difference: the target is held, not done once.
 *
 * The state is folded from the inputs alone (the target messages, the children's PLACE decisions,
 * their legs and fills): a replay rebuilds it; children are asked for only live (the caller).
 */
export class TargetPositions {
  private readonly targets = new Map<string, HeldTarget>();
  /** The id of each target's next child, to the target: how a child's PLACE, read back, finds it. */
  private readonly expected = new Map<string, string>();
  /** Each working child's target. */
  private readonly childOf = new Map<string, string>();

  /** Folds a PLACE, MODIFY or CANCEL of a target; throws InvalidInputError naming the intent when it cannot be held. */
  apply(message: Intent): HeldTarget {
    const where = `intent ${message.intentId}`;
    const current = this.targets.get(message.intentId);
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
    const target: HeldTarget = {
      targetId: message.intentId,
      portfolio: message.portfolio,
      instrument: message.instrument,
      account: message.account,
      venues: [...message.venues],
      source: message.source,
      quantity,
      status: 'ACTIVE',
      nextChild: 0,
      child: null,
      asked: null,
      filled: ZERO,
      notional: ZERO,
      fees: new Map(),
      side: quantity.isNegative() ? 'SELL' : 'BUY',
      refusal: null,
    };
    this.targets.set(target.targetId, target);
    this.expected.set(childIntentId(target.targetId, 0), target.targetId);
    return target;
  }

  /** A global cancel-all: every target is withdrawn (a child working finishes: it is IOC). */
  cancelAll(): void {
    for (const target of this.targets.values()) target.status = 'CANCELED';
  }

  has(intentId: string): boolean {
    return this.targets.has(intentId);
  }

  all(): Iterable<HeldTarget> {
    return this.targets.values();
  }

  /** The targets measured on this instrument's position in this portfolio. */
  on(portfolio: string, instrument: string): HeldTarget[] {
    return [...this.targets.values()].filter((target) => target.portfolio === portfolio && target.instrument === instrument);
  }

  /** The target whose child this intent is, working or expected next. */
  ofChild(intentId: string): HeldTarget | undefined {
    const targetId = this.childOf.get(intentId) ?? this.expected.get(intentId);
    return targetId === undefined ? undefined : this.targets.get(targetId);
  }

  /** The child's PLACE was read: it works for its target from now on. True when `message` is a target's next child. */
  childPlaced(message: Intent): boolean {
    const target = message.action === 'PLACE' && message.source === 'EXECUTION' ? this.targets.get(this.expected.get(message.intentId) ?? '') : undefined;
    if (!target) return false;
    this.expected.delete(message.intentId);
    target.child = message.intentId;
    target.asked = null;
    // A child read back in a replay was asked for by an earlier run: its side is the trade's.
    if (message.order !== null) target.side = message.order.side;
    target.nextChild += 1;
    this.childOf.set(message.intentId, target.targetId);
    this.expected.set(childIntentId(target.targetId, target.nextChild), target.targetId);
    return true;
  }

  /**
   * Folds the working child's progress: once it has ended (every fill held), what it executed is
   * the target's, and the next child may be asked for. True when it ended now.
   */
  childProgress(target: HeldTarget, progress: ChildProgress, nowMs: number): boolean {
    if (target.child === null || progress.open) return false;
    const { heldFillQuantity, fillNotional, feesByCurrency } = progress.rollUp;
    target.filled = target.filled.plus(heldFillQuantity);
    target.notional = target.notional.plus(fillNotional);
    for (const [currency, fee] of feesByCurrency) target.fees.set(currency, (target.fees.get(currency) ?? ZERO).plus(fee));
    if (heldFillQuantity.isZero()) {
      const why = progress.refusal ?? { rule: 'not_filled', reason: `child ${target.child} ended with nothing filled` };
      target.refusal = { ...why, atMs: nowMs, inARow: (target.refusal?.inARow ?? 0) + 1 };
    } else {
      target.refusal = null;
    }
    this.childOf.delete(target.child);
    target.child = null;
    return true;
  }

  /**
   * What the target still needs traded, signed: target - position - what the working child may
   * still fill (its requested quantity less the fills held; a child asked for and not read back
   * counts in full). Fills of the child that the position counts before its leg holds them make
   * this smaller for a moment, never larger: nothing is traded twice.
   */
  difference(target: HeldTarget, position: Decimal, child: ChildProgress | undefined): Decimal {
    let pending = ZERO;
    if (target.asked !== null) pending = signed(target.asked.side, target.asked.amount);
    else if (target.child !== null && child?.open) pending = signed(target.side, Decimal.max(child.requested.minus(child.rollUp.heldFillQuantity), ZERO));
    return target.quantity.minus(position).minus(pending);
  }

  /**
   * The PLACE of the next child when the target needs one now: it is active, nothing works for it,
   * the position is off the target, and a child that filled nothing is not retried before its wait.
   * A child asked for and not read back within CHILD_ASK_AGAIN_MS is asked again, the same message.
   */
  nextChild(target: HeldTarget, difference: Decimal, nowMs: number): Intent | null {
    if (target.status !== 'ACTIVE' || target.child !== null) return null;
    if (target.asked !== null) {
      if (nowMs - target.asked.atMs < CHILD_ASK_AGAIN_MS) return null;
      target.asked.atMs = nowMs;
      return this.childMessage(target, target.asked.side, target.asked.amount, nowMs);
    }
    if (difference.isZero()) return null;
    if (target.refusal !== null && nowMs < target.refusal.atMs + retryWait(target.refusal.inARow)) return null;
    const side: Side = difference.isPositive() ? 'BUY' : 'SELL';
    target.asked = { side, amount: difference.abs(), atMs: nowMs };
    target.side = side;
    return this.childMessage(target, side, difference.abs(), nowMs);
  }

  /** Drops a canceled target nothing works for any more: its final status is published (the caller's check). */
  forget(target: HeldTarget): void {
    this.targets.delete(target.targetId);
    this.expected.delete(childIntentId(target.targetId, target.nextChild));
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
  view(target: HeldTarget, position: Decimal, child: ChildProgress | undefined): IntentStatusView {
    const working = target.asked !== null || target.child !== null;
    const open = child?.open === true ? child : undefined;
    const filled = target.filled.plus(open?.rollUp.heldFillQuantity ?? ZERO);
    const notional = target.notional.plus(open?.rollUp.fillNotional ?? ZERO);
    const fees = new Map(target.fees);
    for (const [currency, fee] of open?.rollUp.feesByCurrency ?? []) fees.set(currency, (fees.get(currency) ?? ZERO).plus(fee));
    const off = target.quantity.minus(position);
    let state: IntentState;
    if (target.status === 'CANCELED' && !working) state = 'CANCELED';
    else if (off.isZero() && !working) state = 'DONE';
    else if (!working && target.refusal !== null) state = 'REJECTED';
    else if (filled.gt(0)) state = 'PARTIALLY_FILLED';
    else if (working) state = 'WORKING';
    else state = 'ACCEPTED';
    const leaves = state === 'CANCELED' || state === 'DONE' ? ZERO : off.abs();
    return {
      intentId: target.targetId,
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
      fees: [...fees].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount: formatDecimal(amount) })),
    };
  }

  private childMessage(target: HeldTarget, side: Side, amount: Decimal, nowMs: number): Intent {
    const intentId = childIntentId(target.targetId, target.nextChild);
    const requestedBy = `target ${target.targetId}: ${side} ${formatDecimal(amount)} toward ${formatDecimal(target.quantity)}`;
    return {
      ...orderIntentEnvelope({ eventId: `${intentId}:place`, intentId, portfolio: target.portfolio, account: target.account, instrument: target.instrument, source: 'EXECUTION', requestedBy, createdAtMs: nowMs }),
      venues: [...target.venues],
      action: 'PLACE',
      order: marketOrder(side, formatDecimal(amount), false),
    };
  }
}

function signed(side: Side, quantity: Decimal): Decimal {
  return side === 'BUY' ? quantity : quantity.negated();
}

function retryWait(inARow: number): number {
  return Math.min(TARGET_RETRY_MS * 2 ** Math.max(inARow - 1, 0), TARGET_RETRY_MAX_MS);
}

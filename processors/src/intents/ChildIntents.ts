import { createHash } from 'node:crypto';
import { Decimal, formatDecimal, type Intent, type IntentOrder, type IntentSource, type IntentState, type Side } from '@crossvenue/schemas';
import type { IntentRollUp } from '../orders/intentRollUp.ts';
import type { IntentStatusView } from './intentStatus.ts';
import { orderIntentEnvelope } from './orderIntent.ts';

/** How long a child asked for and not read back (its PLACE lost or dead-lettered) waits before it is asked again. */
export const CHILD_ASK_AGAIN_MS = 10_000;

const ZERO = new Decimal(0);

/** What every parent intent (a target position, a TWAP) holds about the child intents that trade for it. */
export interface ParentIntent {
  intentId: string;
  portfolio: string;
  instrument: string;
  /** Where its children trade: one account, or the portfolio's accounts when null; venues, or any when empty. */
  account: string | null;
  venues: readonly string[];
  source: IntentSource;
  status: 'ACTIVE' | 'CANCELED';
  /** The number of the next child; its id is childIntentId(intentId, prefix, nextChild). */
  nextChild: number;
  /** The child whose PLACE was read and that has not ended yet. */
  child: string | null;
  /** A child asked for (published) whose PLACE was not read yet: what it asked, when, and the message (asked again as it was). */
  asked: { side: Side; amount: Decimal; atMs: number; message: Intent } | null;
  /** What the ended children executed: quantity, notional (price × quantity) and fees. */
  filled: Decimal;
  notional: Decimal;
  fees: Map<string, Decimal>;
  /** The side of the last child: the sign of what it may still fill. */
  side: Side;
  /** The last child ended with nothing filled: why, when, and how many did so in a row. */
  refusal: { rule: string; reason: string; atMs: number; inARow: number } | null;
}

/** A child intent's state as its parent reads it: open (may still fill) or ended, and its roll-up. */
export interface ChildProgress {
  open: boolean;
  requested: Decimal;
  rollUp: Pick<IntentRollUp, 'heldFillQuantity' | 'fillNotional' | 'feesByCurrency'>;
  refusal: { rule: string; reason: string } | null;
}

/**
 * One kind of parent intent (a target position, a TWAP, an iceberg): which intent messages are its,
 * how they fold, what its next child is, its status, and when it has ended for good. `position`
 * measures the parent's position (the risk engine's), for the kinds that need it.
 */
export interface ParentKind<P extends ParentIntent> {
  readonly children: ChildIntents<P>;
  takes(message: Intent): boolean;
  apply(message: Intent, decidedAtMs: number): P;
  nextChild(parent: P, child: ChildProgress | undefined, nowMs: number, position: () => Decimal): Intent | null;
  view(parent: P, child: ChildProgress | undefined, position: () => Decimal): IntentStatusView;
  /** How it ended for good (its final status is the view's), or null while it may still change. */
  endedAs(parent: P): IntentState | null;
}

/** The parent's fields before it has any child. */
export function noChildrenYet(side: Side): Pick<ParentIntent, 'status' | 'nextChild' | 'child' | 'asked' | 'filled' | 'notional' | 'fees' | 'side' | 'refusal'> {
  return { status: 'ACTIVE', nextChild: 0, child: null, asked: null, filled: ZERO, notional: ZERO, fees: new Map(), side, refusal: null };
}

/**
 * The id of a parent's child number `n`: the parent's id, the kind's letter and the number, or,
 * for a parent id too long to take the suffix, a digest of it. A function of these, so a restarted
 * run that asks again for a child an earlier run asked for (its PLACE not read yet) asks with the
 * same ids, and the second answer is dropped as a repeat.
 */
export function childIntentId(parentId: string, letter: string, n: number): string {
  const id = `${parentId}:${letter}${n}`;
  return id.length <= 128 ? id : `parent-${createHash('sha256').update(parentId, 'utf8').digest('hex').slice(0, 32)}:${letter}${n}`;
}

/**
 * The parent intents of one kind and the child intents that trade for them, one child at a time:
 * a parent asks for its next child only once the last has ended and every fill it made is held,
 * so what a child may still fill is never asked for twice. Children are ORDER intents of the
 * execution side's own (source EXECUTION), routed and risk-checked like any order. The state is
 * folded from the inputs alone (the parents' messages, the children's PLACE decisions, their legs
 * and fills): a replay rebuilds it; children are asked for only live (the caller).
 */
export class ChildIntents<P extends ParentIntent> {
  private readonly parents = new Map<string, P>();
  /** The id of each parent's next child, to the parent: how a child's PLACE, read back, finds it. */
  private readonly expected = new Map<string, string>();
  /** Each working child's parent. */
  private readonly childOf = new Map<string, string>();

  /** `letter` marks the kind in its children's ids (`<parent>:t0` for a target). */
  constructor(private readonly letter: string) {}

  add(parent: P): void {
    this.parents.set(parent.intentId, parent);
    this.expected.set(childIntentId(parent.intentId, this.letter, parent.nextChild), parent.intentId);
  }

  get(intentId: string): P | undefined {
    return this.parents.get(intentId);
  }

  all(): P[] {
    return [...this.parents.values()];
  }

  /** The parents trading this instrument for this portfolio. */
  on(portfolio: string, instrument: string): P[] {
    return this.all().filter((parent) => parent.portfolio === portfolio && parent.instrument === instrument);
  }

  /** The parent whose child this intent is, working or expected next. */
  ofChild(intentId: string): P | undefined {
    const parentId = this.childOf.get(intentId) ?? this.expected.get(intentId);
    return parentId === undefined ? undefined : this.parents.get(parentId);
  }

  /** A global cancel-all: every parent is withdrawn (a child working finishes: it is IOC). */
  cancelAll(): void {
    for (const parent of this.parents.values()) parent.status = 'CANCELED';
  }

  /** The child's PLACE was read: it works for its parent from now on. True when `message` is a parent's next child. */
  childPlaced(message: Intent): boolean {
    const parent = message.action === 'PLACE' && message.source === 'EXECUTION' ? this.parents.get(this.expected.get(message.intentId) ?? '') : undefined;
    if (!parent) return false;
    this.expected.delete(message.intentId);
    parent.child = message.intentId;
    parent.asked = null;
    // A child read back in a replay was asked for by an earlier run: its side is the trade's.
    if (message.order !== null) parent.side = message.order.side;
    parent.nextChild += 1;
    this.childOf.set(message.intentId, parent.intentId);
    this.expected.set(childIntentId(parent.intentId, this.letter, parent.nextChild), parent.intentId);
    return true;
  }

  /**
   * Folds the working child's progress: once it has ended (every fill held), what it executed is
   * the parent's, and the next child may be asked for. True when it ended now.
   */
  childProgress(parent: P, progress: ChildProgress, nowMs: number): boolean {
    if (parent.child === null || progress.open) return false;
    const { heldFillQuantity, fillNotional, feesByCurrency } = progress.rollUp;
    parent.filled = parent.filled.plus(heldFillQuantity);
    parent.notional = parent.notional.plus(fillNotional);
    for (const [currency, fee] of feesByCurrency) parent.fees.set(currency, (parent.fees.get(currency) ?? ZERO).plus(fee));
    if (heldFillQuantity.isZero()) {
      const why = progress.refusal ?? { rule: 'not_filled', reason: `child ${parent.child} ended with nothing filled` };
      parent.refusal = { ...why, atMs: nowMs, inARow: (parent.refusal?.inARow ?? 0) + 1 };
    } else {
      parent.refusal = null;
    }
    this.childOf.delete(parent.child);
    parent.child = null;
    return true;
  }

  /** What the working child (or the one asked for) may still fill, signed: its quantity less the fills held. */
  pending(parent: P, child: ChildProgress | undefined): Decimal {
    if (parent.asked !== null) return signed(parent.asked.side, parent.asked.amount);
    if (parent.child !== null && child?.open) return signed(parent.side, Decimal.max(child.requested.minus(child.rollUp.heldFillQuantity), ZERO));
    return ZERO;
  }

  /** Whether a child works for the parent, or was asked for. */
  working(parent: P): boolean {
    return parent.asked !== null || parent.child !== null;
  }

  /**
   * The PLACE of the parent's next child, `want`, when none works and the parent is active; a child
   * asked for and not read back within CHILD_ASK_AGAIN_MS is asked again, the same message; null
   * otherwise.
   */
  ask(parent: P, want: { side: Side; amount: Decimal; order: IntentOrder; why: string } | null, nowMs: number): Intent | null {
    if (parent.child !== null) return null;
    if (parent.asked !== null) {
      if (nowMs - parent.asked.atMs < CHILD_ASK_AGAIN_MS) return null;
      parent.asked.atMs = nowMs;
      return parent.asked.message;
    }
    if (want === null || parent.status !== 'ACTIVE') return null;
    const message = this.childMessage(parent, want.order, want.why, nowMs);
    parent.asked = { side: want.side, amount: want.amount, atMs: nowMs, message };
    parent.side = want.side;
    return message;
  }

  /** Drops a parent nothing works for any more, once its final status is published (the caller's check). */
  forget(parent: P): void {
    this.parents.delete(parent.intentId);
    this.expected.delete(childIntentId(parent.intentId, this.letter, parent.nextChild));
  }

  /** What the parent's children executed, the open child's held fills included: for its status. */
  executed(parent: P, child: ChildProgress | undefined): { filled: Decimal; notional: Decimal; fees: Array<{ currency: string; amount: string }> } {
    const open = child?.open === true ? child : undefined;
    const fees = new Map(parent.fees);
    for (const [currency, fee] of open?.rollUp.feesByCurrency ?? []) fees.set(currency, (fees.get(currency) ?? ZERO).plus(fee));
    return {
      filled: parent.filled.plus(open?.rollUp.heldFillQuantity ?? ZERO),
      notional: parent.notional.plus(open?.rollUp.fillNotional ?? ZERO),
      fees: [...fees].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount: formatDecimal(amount) })),
    };
  }

  private childMessage(parent: P, order: IntentOrder, why: string, nowMs: number): Intent {
    const intentId = childIntentId(parent.intentId, this.letter, parent.nextChild);
    const { portfolio, account, instrument } = parent;
    return {
      ...orderIntentEnvelope({ eventId: `${intentId}:place`, intentId, portfolio, account, instrument, source: 'EXECUTION', requestedBy: why, createdAtMs: nowMs }),
      venues: [...parent.venues],
      action: 'PLACE',
      order,
    };
  }
}

function signed(side: Side, quantity: Decimal): Decimal {
  return side === 'BUY' ? quantity : quantity.negated();
}

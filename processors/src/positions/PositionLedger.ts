import { fillIdentity } from '@crossvenue/schemas';
import { compareFills, positionKey, sameExecution, type PositionFill } from './PositionFill.ts';
import { fundingIdentity, type PositionFunding } from './PositionFunding.ts';
import { flatPosition, PositionFold, type PositionState } from './PositionState.ts';

export type AddOutcome =
  /** `beforeWindow`: the fill sorts before fills a bounded ledger already folded away; it was applied on top of them (see PositionLedger). */
  | { outcome: 'applied'; key: string; beforeWindow?: true }
  /** Also a fill whose identity was folded away by a bounded ledger: its content is no longer there to compare. */
  | { outcome: 'duplicate'; key: string }
  /** Same identity, different content: the first one seen (and its position `key`) stands; the caller says so loudly. */
  | { outcome: 'conflict'; key: string; kept: PositionFill };

/** What adding a funding payment did: as for a fill, a conflicting copy (same identity, other amount or position) keeps the first. */
export type FundingOutcome = { outcome: 'applied' | 'duplicate' | 'conflict'; key: string };

/**
 * One position. Its fields are plain data in the shape the execution snapshot captures and
 * restores (risk holds a ledger: execution/stateSnapshot.ts); the running fold is kept beside it
 * (PositionLedger.running), not in it.
 */
interface Entry {
  /** The distinct fills of the position not folded into `base`; in canonical order unless `unsorted`. */
  fills: PositionFill[];
  /** The fold of the fills a bounded ledger let go of (flat when none); `fills` fold on top of it. */
  base: PositionState;
  /** The last of the fills folded into `base`, in canonical order: a fill sorting before it comes too late to refold. */
  baseEnd: PositionFill | null;
  /** The position as last read out; current unless `unsorted`. */
  state: PositionState;
  /**
   * `state` is not the fold of every fill: a fill arrived out of canonical order (sort and refold),
   * or in order since the position was last read (read the running fold out). The name is the
   * snapshot's: a snapshot taken by earlier code means the first.
   */
  unsorted: boolean;
}

export interface PositionLedgerOptions {
  /**
   * The fewest fills per position kept whole (at most twice as many); older ones are folded into
   * the position's base state and only their identities kept (duplicates are still recognised). Unbounded by default: the
   * positions worker folds the exact fill set, whatever the order.
   */
  window?: number;
}

/**
 * The exactly-once fold. It keeps the set of fills of every position, de-duplicated by fill
 * identity, and the position is always the fold of that set in canonical order (venue time, then
 * trade id): so duplicates, replays and reordering never change it (DESIGN.md invariant 2). A fill
 * that arrives in order (the usual case) is one fold step; a late one marks its position for a
 * refold (sort + fold) when it is next read, so a shuffled replay costs one sort, not one refold per fill.
 *
 * With a `window`, each position keeps only its last `window` to 2 x `window` fills (in canonical order) whole: the
 * older ones are folded into a base state and keep only their identity, so memory and a snapshot
 * of the ledger stay bounded. A fill later than the window reaches (it sorts before a fill already
 * folded away) is applied on top of the base, in the order it came: the quantity stays exact, the
 * average entry and realized PnL may differ from the canonical fold (`beforeWindow` says so).
 */
export class PositionLedger {
  private readonly seen = new Map<string, PositionFill>();
  /** Identities of the fills a bounded ledger folded into a base: strings only. */
  private readonly folded = new Set<string>();
  private readonly window: number;
  private readonly entries = new Map<string, Entry>();
  /**
   * The fold of each entry's base and fills in canonical order, in the fold's arithmetic, kept up
   * to date as fills come in order: reading a position converts it to Decimal once rather than
   * at every fill. Absent after a late fill (the next read refolds) and after a restore from a
   * snapshot (which holds no such thing: a WeakMap has no fields to capture).
   */
  private readonly running = new WeakMap<Entry, PositionFold>();
  private readonly seenFunding = new Map<string, PositionFunding>();
  /** Funding per position: a sum, so arrival order does not matter; kept apart from the fills' fold. */
  private readonly funding = new Map<string, { total: PositionState['funding']; count: number; lastMs: number; position: PositionFunding }>();

  constructor(options: PositionLedgerOptions = {}) {
    this.window = options.window ?? Infinity;
  }

  add(fill: PositionFill): AddOutcome {
    const identity = fillIdentity(fill);
    const known = this.seen.get(identity);
    // The position the identity already belongs to: a conflicting copy may name another one.
    if (known) return sameExecution(known, fill) ? { outcome: 'duplicate', key: positionKey(known) } : { outcome: 'conflict', key: positionKey(known), kept: known };
    const key = positionKey(fill);
    if (this.folded.has(identity)) return { outcome: 'duplicate', key };

    let entry = this.entries.get(key);
    if (!entry) {
      const flat = flatPosition(fill);
      this.entries.set(key, (entry = { fills: [], base: flat, baseEnd: null, state: flat, unsorted: false }));
    }
    if (entry.baseEnd !== null && compareFills(fill, entry.baseEnd) < 0) return this.addBeforeWindow(entry, identity, fill, key);
    this.seen.set(identity, fill);
    const last = entry.fills.at(-1);
    entry.fills.push(fill);
    const fold = this.running.get(entry);
    if (last && compareFills(last, fill) > 0) this.running.delete(entry);
    else if (fold) fold.apply(fill);
    // In order, on a state read out and not changed since (a new entry, or one restored from a snapshot).
    else if (!entry.unsorted) this.running.set(entry, PositionFold.of(entry.state).apply(fill));
    entry.unsorted = true;
    // Folded in batches of `window`, so that letting go of a fill costs no shift of the whole window.
    if (entry.fills.length >= 2 * this.window) this.foldOldest(entry);
    return { outcome: 'applied', key };
  }

  /** Folds the oldest fills (canonical order) into the base until the window holds `window`. */
  private foldOldest(entry: Entry): void {
    this.settled(entry);
    const excess = entry.fills.splice(0, entry.fills.length - this.window);
    const base = PositionFold.of(entry.base);
    for (const fill of excess) {
      base.apply(fill);
      const identity = fillIdentity(fill);
      this.seen.delete(identity);
      this.folded.add(identity);
    }
    entry.base = base.state(entry.base);
    entry.baseEnd = excess.at(-1)!;
  }

  /** Too late to refold canonically: applied on top of the base, so every fill still counts once. */
  private addBeforeWindow(entry: Entry, identity: string, fill: PositionFill, key: string): AddOutcome {
    this.folded.add(identity);
    entry.base = PositionFold.of(entry.base).apply(fill).state(entry.base);
    this.running.delete(entry);
    entry.unsorted = true;
    return { outcome: 'applied', key, beforeWindow: true };
  }

  /** A funding payment of a position, once by its identity; the position may have no fill yet (fills and payments come on two topics). */
  addFunding(payment: PositionFunding): FundingOutcome {
    const identity = fundingIdentity(payment);
    const known = this.seenFunding.get(identity);
    if (known) {
      const same = known.amount.equals(payment.amount) && positionKey(known) === positionKey(payment);
      return { outcome: same ? 'duplicate' : 'conflict', key: positionKey(known) };
    }
    this.seenFunding.set(identity, payment);
    const key = positionKey(payment);
    const sum = this.funding.get(key);
    this.funding.set(key, sum ? { ...sum, total: sum.total.plus(payment.amount), count: sum.count + 1, lastMs: Math.max(sum.lastMs, payment.venueTimeMs) } : { total: payment.amount, count: 1, lastMs: payment.venueTimeMs, position: payment });
    return { outcome: 'applied', key };
  }

  position(key: string): PositionState | undefined {
    const entry = this.entries.get(key);
    const funding = this.funding.get(key);
    if (!entry && !funding) return undefined;
    const state = entry ? this.settled(entry) : flatPosition(funding!.position);
    return funding ? { ...state, funding: funding.total, fundingCount: funding.count, lastFundingMs: funding.lastMs } : state;
  }

  positions(): PositionState[] {
    return [...new Set([...this.entries.keys(), ...this.funding.keys()])].map((key) => this.position(key)!);
  }

  get fillCount(): number {
    return this.seen.size + this.folded.size;
  }

  /** The entry's state, made current: read out of the running fold, or sorted and refolded from the base. */
  private settled(entry: Entry): PositionState {
    if (!entry.unsorted) return entry.state;
    let fold = this.running.get(entry);
    if (!fold) {
      entry.fills.sort(compareFills);
      fold = PositionFold.of(entry.base);
      for (const fill of entry.fills) fold.apply(fill);
      this.running.set(entry, fold);
    }
    entry.state = fold.state(entry.base);
    entry.unsorted = false;
    return entry.state;
  }
}

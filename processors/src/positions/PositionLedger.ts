import { fillIdentity } from '@crossvenue/schemas';
import { compareFills, positionKey, sameExecution, type PositionFill } from './PositionFill.ts';
import { fundingIdentity, type PositionFunding } from './PositionFunding.ts';
import { applyFill, flatPosition, type PositionState } from './PositionState.ts';

export type AddOutcome =
  | { outcome: 'applied'; key: string }
  | { outcome: 'duplicate'; key: string }
  /** Same identity, different content: the first one seen (and its position `key`) stands; the caller says so loudly. */
  | { outcome: 'conflict'; key: string; kept: PositionFill };

/** What adding a funding payment did: as for a fill, a conflicting copy (same identity, other amount or position) keeps the first. */
export type FundingOutcome = { outcome: 'applied' | 'duplicate' | 'conflict'; key: string };

interface Entry {
  /** Every distinct fill of the position; in canonical order unless `unsorted`. */
  fills: PositionFill[];
  state: PositionState;
  /** A fill arrived out of canonical order: sort and refold before the state is read again. */
  unsorted: boolean;
}

/**
 * The exactly-once fold. It keeps the set of fills of every position, de-duplicated by fill
 * identity, and the position is always the fold of that set in canonical order (venue time, then
 * trade id): so duplicates, replays and reordering never change it (DESIGN.md invariant 2). A fill
 * that arrives in order (the usual case) is one fold step; a late one marks its position for a
 * refold (sort + fold) when it is next read, so a shuffled replay costs one sort, not one refold per fill.
 */
export class PositionLedger {
  private readonly seen = new Map<string, PositionFill>();
  private readonly entries = new Map<string, Entry>();
  private readonly seenFunding = new Map<string, PositionFunding>();
  /** Funding per position: a sum, so arrival order does not matter; kept apart from the fills' fold. */
  private readonly funding = new Map<string, { total: PositionState['funding']; count: number; lastMs: number; position: PositionFunding }>();

  add(fill: PositionFill): AddOutcome {
    const identity = fillIdentity(fill);
    const known = this.seen.get(identity);
    // The position the identity already belongs to: a conflicting copy may name another one.
    if (known) return sameExecution(known, fill) ? { outcome: 'duplicate', key: positionKey(known) } : { outcome: 'conflict', key: positionKey(known), kept: known };
    const key = positionKey(fill);
    this.seen.set(identity, fill);

    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = { fills: [], state: flatPosition(fill), unsorted: false }));
    const last = entry.fills.at(-1);
    entry.fills.push(fill);
    if (entry.unsorted || (last && compareFills(last, fill) > 0)) entry.unsorted = true;
    else entry.state = applyFill(entry.state, fill);
    return { outcome: 'applied', key };
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
    const state = entry ? settled(entry) : flatPosition(funding!.position);
    return funding ? { ...state, funding: funding.total, fundingCount: funding.count, lastFundingMs: funding.lastMs } : state;
  }

  positions(): PositionState[] {
    return [...new Set([...this.entries.keys(), ...this.funding.keys()])].map((key) => this.position(key)!);
  }

  get fillCount(): number {
    return this.seen.size;
  }
}

function settled(entry: Entry): PositionState {
  if (entry.unsorted) {
    entry.fills.sort(compareFills);
    entry.state = entry.fills.reduce(applyFill, flatPosition(entry.fills[0]!));
    entry.unsorted = false;
  }
  return entry.state;
}

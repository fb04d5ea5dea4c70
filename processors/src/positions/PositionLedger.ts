import { fillIdentity } from '@crossvenue/schemas';
import { compareFills, positionKey, sameExecution, type PositionFill } from './PositionFill.ts';
import { applyFill, flatPosition, type PositionState } from './PositionState.ts';

export type AddOutcome =
  | { outcome: 'applied'; key: string }
  | { outcome: 'duplicate'; key: string }
  /** Same identity, different content: the first one seen (and its position `key`) stands; the caller says so loudly. */
  | { outcome: 'conflict'; key: string; kept: PositionFill };

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

  position(key: string): PositionState | undefined {
    const entry = this.entries.get(key);
    return entry && settled(entry);
  }

  positions(): PositionState[] {
    return [...this.entries.values()].map(settled);
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

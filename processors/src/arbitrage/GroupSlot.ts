import type { ArbitrageGroupState } from '@crossvenue/schemas';
import type { OrderGroup } from './OrderGroup.ts';

const FAILED: ReadonlySet<ArbitrageGroupState> = new Set(['UNWOUND', 'EXPOSED', 'MISSED']);

/**
 * A strategy's one order group in flight, and what the next one waits for: the cooldown after a
 * failed group (UNWOUND, EXPOSED, MISSED), and, for each venue the last group traded on, a book
 * newer than that group's end (its own fills are not in an older one). It also counts each
 * venue's books, which an unwind waits on (GroupEnvironment.booksSeen).
 */
export class GroupSlot {
  private current: OrderGroup | null = null;
  private lastFailedAtMs = Number.NEGATIVE_INFINITY;
  private readonly booksSeen = new Map<string, number>();
  /** Venues the last group traded on, until a book of theirs arrives after it closed. */
  private readonly stale = new Set<string>();

  constructor(private readonly cooldownMs: number) {}

  get group(): OrderGroup | null {
    return this.current;
  }

  bookArrived(venue: string): void {
    this.booksSeen.set(venue, (this.booksSeen.get(venue) ?? 0) + 1);
    this.stale.delete(venue);
  }

  booksOf(venue: string): number {
    return this.booksSeen.get(venue) ?? 0;
  }

  /** Whether a new group may trade on `venue`: no book of it has arrived since the last group there closed. */
  isStale(venue: string): boolean {
    return this.stale.has(venue);
  }

  /** Whether a new group may open now: none in flight and no cooldown running. */
  isFree(nowMs: number): boolean {
    return this.current === null && nowMs - this.lastFailedAtMs >= this.cooldownMs;
  }

  /** Opens `group` in the slot (sending its first legs). */
  async open(group: OrderGroup): Promise<void> {
    this.current = group;
    await group.open();
  }

  /** Runs `work` on the group in flight; once it has closed, frees the slot and returns it, else null. */
  async settle(work: (group: OrderGroup) => Promise<unknown>, nowMs: () => number): Promise<OrderGroup | null> {
    const group = this.current!;
    await work(group);
    if (group.state === 'OPEN') return null;
    this.current = null;
    if (FAILED.has(group.state)) this.lastFailedAtMs = nowMs();
    for (const venue of group.venues()) this.stale.add(venue);
    return group;
  }
}

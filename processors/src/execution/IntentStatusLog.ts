import { intentStatusEventId, statusNumber, type IntentStatus } from '@crossvenue/schemas';
import { sameStatus, viewOf, type IntentStatusView } from '../intents/intentStatus.ts';

/**
 * The last status record published for each intent, and its number. A status is published only
 * when it differs from the last one, so never twice in a row. A restarted worker first reads back
 * what was published (`published`, the same as for its order commands), so it goes on from the
 * last record actually on the topic: what an earlier run published is not published again, and
 * what it derived but never published is published now, numbered on.
 */
export class IntentStatusLog {
  private readonly last = new Map<string, { number: number; view: IntentStatusView }>();

  /** A record read back from the status topic. */
  published(record: IntentStatus): void {
    const number = statusNumber(record.eventId);
    const known = this.last.get(record.intentId);
    if (number === null || (known && known.number >= number)) return;
    this.last.set(record.intentId, { number, view: viewOf(record) });
  }

  /** Whether `view` is what the last record published for its intent states. */
  isLast(view: IntentStatusView): boolean {
    const known = this.last.get(view.intentId);
    return known !== undefined && sameStatus(known.view, view);
  }

  /** Drops a retired intent's last record: nothing is published for it again (RetiredIntents). */
  forget(intentId: string): void {
    this.last.delete(intentId);
  }

  /** The record to publish for `view`, numbered on from the last, or null when it states what the last one did. */
  change(view: IntentStatusView, nowMs: number): IntentStatus | null {
    const known = this.last.get(view.intentId);
    if (known && sameStatus(known.view, view)) return null;
    const number = known ? known.number + 1 : 0;
    this.last.set(view.intentId, { number, view });
    return { eventId: intentStatusEventId(view.intentId, number), ...view, updatedAtMs: nowMs };
  }
}

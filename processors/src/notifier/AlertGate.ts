import type { Alert } from '@crossvenue/schemas';
import { foldsRepeats } from './alertKinds.ts';
import type { Folded } from './alertText.ts';

export type GateVerdict =
  | { send: true; folded: Folded | null }
  | { send: false; why: 'redelivered' | 'folded' };

/** How long an event id, and a condition's last message, are remembered. */
const MEMORY_MS = 24 * 60 * 60 * 1_000;

/**
 * Decides which alerts become messages. Kafka delivers at least once, so an alert read again (a
 * redelivered batch, a producer's retry) is known by its event id and said once. Repeats of one
 * condition, the same code on the same venue, account and subject, are folded: the first is sent,
 * later ones within `windowMs` of it are counted, and the next message after the window says how
 * many were not sent. Kill switches are never folded (foldsRepeats).
 *
 * In memory: a restarted notifier forgets, and may say again an alert that was redelivered to it
 * after its restart (the consumer group's committed offset makes that rare).
 */
export class AlertGate {
  /** Event id → when it was read, oldest first. */
  private readonly seen = new Map<string, number>();
  /** Condition → its last message and the repeats not sent since, oldest message first. */
  private readonly conditions = new Map<string, { sentAtMs: number; folded: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  admit(alert: Alert, kind: string): GateVerdict {
    const nowMs = this.now();
    this.forget(nowMs);
    if (this.seen.has(alert.eventId)) return { send: false, why: 'redelivered' };
    this.seen.set(alert.eventId, nowMs);
    if (!foldsRepeats(kind)) return { send: true, folded: null };

    const key = JSON.stringify([alert.code, alert.venue, alert.account, alert.subject]);
    const last = this.conditions.get(key);
    if (last && nowMs - last.sentAtMs < this.windowMs) {
      last.folded += 1;
      return { send: false, why: 'folded' };
    }
    this.conditions.delete(key);
    this.conditions.set(key, { sentAtMs: nowMs, folded: 0 });
    return { send: true, folded: last && last.folded > 0 ? { count: last.folded, sinceMs: last.sentAtMs } : null };
  }

  private forget(nowMs: number): void {
    for (const [id, readAtMs] of this.seen) {
      if (nowMs - readAtMs < MEMORY_MS) break;
      this.seen.delete(id);
    }
    for (const [key, { sentAtMs }] of this.conditions) {
      if (nowMs - sentAtMs < MEMORY_MS) break;
      this.conditions.delete(key);
    }
  }
}

import { Decimal, FINAL_INTENT_STATES, statusNumber, type IntentKind, type IntentStatus } from '@crossvenue/schemas';

/**
 * The statuses read so far, the latest per intent (by its number, `<intentId>:status:<n>`, so a
 * record read twice or late never steps back), and those waiting for one of an intent's.
 */
export class StatusWatch {
  private readonly latestOf = new Map<string, IntentStatus>();
  private readonly listeners = new Set<(status: IntentStatus) => void>();

  add(status: IntentStatus): void {
    const known = this.latestOf.get(status.intentId);
    if (known && (statusNumber(known.eventId) ?? -1) >= (statusNumber(status.eventId) ?? -1)) return;
    this.latestOf.set(status.intentId, status);
    for (const listener of this.listeners) listener(status);
  }

  latest(intentId: string): IntentStatus | undefined {
    return this.latestOf.get(intentId);
  }

  listen(listener: (status: IntentStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The intent's latest status once `wanted` takes it (at once when the latest read already does); rejects after `timeoutMs`, saying it awaited `awaited`. */
  until(intentId: string, wanted: (status: IntentStatus) => boolean, timeoutMs: number, awaited: string): Promise<IntentStatus> {
    const known = this.latestOf.get(intentId);
    if (known && wanted(known)) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(timedOut(intentId, awaited, timeoutMs, this.latestOf.get(intentId)));
      }, timeoutMs);
      const stop = this.listen((status) => {
        if (status.intentId !== intentId || !wanted(status)) return;
        clearTimeout(timer);
        stop();
        resolve(status);
      });
    });
  }
}

/**
 * Whether a status ends its intent for whoever follows it. An order ends DONE, CANCELED, EXPIRED or
 * REJECTED. A target is held: its DONE turns back to PARTIALLY_FILLED when the position moves, and
 * its REJECTED while the last child filled nothing is retried, so it ends only CANCELED, or REJECTED
 * on arrival, the one REJECTED with nothing left (a retried one is still off its target).
 */
export function hasEnded(status: IntentStatus, kind: IntentKind): boolean {
  if (kind !== 'TARGET_POSITION') return FINAL_INTENT_STATES.has(status.state);
  return status.state === 'CANCELED' || (status.state === 'REJECTED' && new Decimal(status.leavesQuantity).isZero());
}

/** What reached() waits for: the target at its position (DONE), or ended, when it never will be. */
export function reachedOrEnded(status: IntentStatus): boolean {
  return status.state === 'DONE' || hasEnded(status, 'TARGET_POSITION');
}

/** reached()'s answer from what reachedOrEnded() took: the DONE status, or why the target will not get there. */
export function reachedStatus(status: IntentStatus): IntentStatus {
  if (status.state === 'DONE') return status;
  throw new Error(`intent ${status.intentId}: ended ${status.state} before reaching its target${status.reason ? `: ${status.reason}` : ''}`);
}

/** What the waits of either client reject with when the status awaited did not come in time. */
export function timedOut(intentId: string, awaited: string, timeoutMs: number, last: IntentStatus | null | undefined): Error {
  return new Error(`intent ${intentId}: ${awaited} within ${timeoutMs} ms (last: ${last ? last.state : 'none read'})`);
}

import { FINAL_INTENT_STATES, statusNumber, type IntentStatus } from '@crossvenue/schemas';

/**
 * The statuses read so far, the latest per intent (by its number, `<intentId>:status:<n>`, so a
 * record read twice or late never steps back), and those waiting for an intent's final one.
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

  final(intentId: string, timeoutMs: number): Promise<IntentStatus> {
    const known = this.latestOf.get(intentId);
    if (known && FINAL_INTENT_STATES.has(known.state)) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(noFinalStatus(intentId, timeoutMs, this.latestOf.get(intentId)));
      }, timeoutMs);
      const stop = this.listen((status) => {
        if (status.intentId !== intentId || !FINAL_INTENT_STATES.has(status.state)) return;
        clearTimeout(timer);
        stop();
        resolve(status);
      });
    });
  }
}

/** What final() of either client rejects with when the intent did not end in time. */
export function noFinalStatus(intentId: string, timeoutMs: number, last: IntentStatus | null | undefined): Error {
  return new Error(`intent ${intentId}: no final status within ${timeoutMs} ms (last: ${last ? last.state : 'none read'})`);
}

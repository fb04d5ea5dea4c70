import type { IntentStatus } from '@crossvenue/schemas';
import { FINAL_STATES } from './OrderTerms.ts';

/**
 * The statuses read so far, the latest per intent (by its number, `<intentId>:status:<n>`, so a
 * record read twice or late never steps back), and those waiting for an intent's final one.
 */
export class StatusWatch {
  private readonly latestOf = new Map<string, IntentStatus>();
  private readonly listeners = new Set<(status: IntentStatus) => void>();

  add(status: IntentStatus): void {
    const known = this.latestOf.get(status.intentId);
    if (known && numberOf(known) >= numberOf(status)) return;
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
    if (known && FINAL_STATES.has(known.state)) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        const last = this.latestOf.get(intentId);
        reject(new Error(`intent ${intentId}: no final status within ${timeoutMs} ms (last: ${last ? last.state : 'none read'})`));
      }, timeoutMs);
      const stop = this.listen((status) => {
        if (status.intentId !== intentId || !FINAL_STATES.has(status.state)) return;
        clearTimeout(timer);
        stop();
        resolve(status);
      });
    });
  }
}

function numberOf(status: IntentStatus): number {
  return Number(status.eventId.slice(status.eventId.lastIndexOf(':') + 1));
}

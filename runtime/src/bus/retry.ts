import { backoffMs } from '../backoff.ts';

/** Exponential back-off between redeliveries of a failed batch: 100 ms doubling up to 5 s. */
export function retryDelayMs(attempt: number): number {
  return backoffMs({ initialMs: 100, maxMs: 5_000 }, attempt);
}

/**
 * Runs `work` again, with the back-off above, while it fails with an error the broker marks
 * retriable (a group coordinator that is still loading or has just moved, a leader election):
 * states a freshly started broker goes through, which must not stop a worker. Other errors, and
 * the last attempt's, are thrown.
 */
export async function retryRetriable<T>(work: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || (error as { retriable?: unknown }).retriable !== true) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
    }
  }
}

/** Exponential back-off between redeliveries of a failed batch: 100 ms doubling up to 5 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(5_000, 100 * 2 ** Math.min(attempt, 6));
}

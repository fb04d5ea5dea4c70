/** A wait that doubles with each failure in a row, from `initialMs` up to `maxMs`. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/** The wait after `failures` failures in a row (0: the first wait, `initialMs`). */
export function backoffMs({ initialMs, maxMs }: Backoff, failures: number): number {
  return Math.min(maxMs, initialMs * 2 ** failures);
}

/** The first restart waits this long; each further crash in a row doubles it... */
const FIRST_DELAY_MS = 1_000;
/** ...up to this: a worker whose dependency is down keeps trying, without spinning. */
export const MAX_DELAY_MS = 30_000;
/** A worker that ran this long before it crashed starts again from the first delay. */
export const STABLE_AFTER_MS = 60_000;

/** How long to wait before the restart after the `crashesInARow`-th crash in a row (1, 2, …). */
export function restartDelayMs(crashesInARow: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, crashesInARow - 1), MAX_DELAY_MS);
}

/** The crash count in a row after one more crash, given how long the process had run. */
export function crashesInARowAfter(previous: number, ranMs: number): number {
  return ranMs >= STABLE_AFTER_MS ? 1 : previous + 1;
}

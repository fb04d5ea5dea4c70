import type { Decimal } from '@crossvenue/schemas';

export type Resync = { inLine: true; drift: Decimal } | { inLine: false; drift: Decimal; correction: Decimal };

/**
 * How far `actual` is from `target`, as a fraction of the target; when the target is flat, the
 * absolute quantity held (any is drift).
 */
export function driftOf(target: Decimal, actual: Decimal): Decimal {
  const gap = actual.minus(target).abs();
  return target.isZero() ? gap : gap.div(target.abs());
}

/**
 * Whether a follower's position needs a correcting order: when it drifted from its target by more
 * than `threshold` (a fraction: 0.05 is 5%), the correction is the signed quantity that brings it
 * back. Smaller drifts are left alone, so that rounding to the venue's step and residuals below its
 * minimum never make the synchronizer trade back and forth.
 */
export function resyncDecision(target: Decimal, actual: Decimal, threshold: Decimal): Resync {
  const drift = driftOf(target, actual);
  if (actual.eq(target) || (!target.isZero() && drift.lte(threshold))) return { inLine: true, drift };
  return { inLine: false, drift, correction: target.minus(actual) };
}

import { Decimal } from '@crossvenue/schemas';
import type { VenueCondition } from './RouteRequest.ts';

/**
 * The penalties the router adds to a venue's price, each in basis points of notional, so that they
 * compare directly with fees and price impact. They turn "this venue is slower / its book older /
 * its requests fail more" into money: a leg there is worth that much less to us.
 *
 * - latency: bps per millisecond of the venue's median round trip (VenueHealth.latencyP50Ms): the
 *   book can move before our order lands. Default 0.01 bps/ms, so 100 ms costs 1 bp.
 * - staleness: bps per second since the venue's last book message (VenueHealth.bookStalenessMs):
 *   an old book may not be there. Default 2 bps/s. A book older than maxBookStalenessMs is not
 *   used at all (default 5000 ms).
 * - health: bps at a 100 % error rate plus bps at a 100 % reject rate, scaled by the measured
 *   rates (VenueHealth.errorRate, rejectRate): a failed leg must be re-routed at a worse price.
 *   Defaults 50 and 50, so 2 % errors cost 1 bp.
 *
 * DEGRADED and DOWN venues get no penalty: they get no orders.
 */
export interface CostConfig {
  latencyBpsPerMs: Decimal;
  stalenessBpsPerSecond: Decimal;
  maxBookStalenessMs: number;
  errorRateBps: Decimal;
  rejectRateBps: Decimal;
}

export const DEFAULT_COST_CONFIG: CostConfig = {
  latencyBpsPerMs: new Decimal('0.01'),
  stalenessBpsPerSecond: new Decimal('2'),
  maxBookStalenessMs: 5000,
  errorRateBps: new Decimal('50'),
  rejectRateBps: new Decimal('50'),
};

/** The fees of a market whose fees are not known (its metadata has none): 0.1 % taker and maker. */
export const DEFAULT_FEES = { taker: new Decimal('0.001'), maker: new Decimal('0.001') };

/** Penalty rates as fractions of notional (1 bp = 0.0001). */
export interface PenaltyRates {
  latency: Decimal;
  staleness: Decimal;
  health: Decimal;
}

const BPS = new Decimal(10_000);
const MS_PER_SECOND = new Decimal(1000);

export function penaltyRates(condition: VenueCondition, config: CostConfig): PenaltyRates {
  const latencyBps = config.latencyBpsPerMs.times(condition.latencyP50Ms ?? 0);
  const stalenessBps = config.stalenessBpsPerSecond.times(condition.bookStalenessMs ?? 0).div(MS_PER_SECOND);
  const healthBps = config.errorRateBps.times(condition.errorRate).plus(config.rejectRateBps.times(condition.rejectRate));
  return { latency: latencyBps.div(BPS), staleness: stalenessBps.div(BPS), health: healthBps.div(BPS) };
}

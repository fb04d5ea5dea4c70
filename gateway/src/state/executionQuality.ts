import { Decimal, type Fill } from '@crossvenue/schemas';
import type { ExecutionLog } from './ExecutionLog.ts';
import type { MidHistory } from './midHistory.ts';

/** The markout curve's horizons, in seconds, as the `fill-markouts` report has them. */
export const MARKOUT_HORIZONS_S = [1, 5, 30, 60, 300] as const;
/** Slippage buckets are 1 bp wide; beyond ±20 bps a fill counts in the end bucket. */
const SLIPPAGE_BUCKET_LIMIT_BPS = 20;
const BPS = new Decimal(10_000);

export interface MarkoutPoint {
  horizonS: number;
  /** Fills whose venue book was seen past the horizon. */
  fills: number;
  /** Their average markout; null when none was. Positive: the mid moved in the fill's favour. */
  markoutBps: string | null;
}

export interface ExecutionQuality {
  horizonsS: readonly number[];
  markouts: Array<{ venue: string; points: MarkoutPoint[] }>;
  /** Per venue, how many fills landed this many bps from their intent's arrival mid (a cost is positive). */
  slippage: Array<{ venue: string; buckets: Array<{ bps: number; fills: number }> }>;
}

/** Positive when the mid moved in the fill's favour (above a buy's price, below a sell's). */
function signedBps(fill: Fill, reference: Decimal, against: Decimal): Decimal {
  return against.minus(reference).div(reference).times(BPS).times(fill.side === 'BUY' ? 1 : -1);
}

/**
 * The dashboard's execution-quality charts over the gateway's recent fills: each venue's markout
 * curve (its own mid 1 s to 5 min after each fill, against the fill price) and the distribution of
 * each fill's slippage against its intent's arrival mid (the first route decision's). A reporting
 * view over what the gateway keeps; `crossvenue report fill-markouts` and `intent-tca` give the
 * same figures over the whole audit log.
 */
export function executionQuality(fills: readonly Fill[], mids: MidHistory, execution: ExecutionLog): ExecutionQuality {
  const venues = [...new Set(fills.map((fill) => fill.venue))].sort();
  const markouts = venues.map((venue) => ({
    venue,
    points: MARKOUT_HORIZONS_S.map((horizonS) => {
      const values = fills
        .filter((fill) => fill.venue === venue)
        .flatMap((fill) => {
          const mid = mids.midAt(fill.venue, fill.instrument, fill.venueTimeMs + horizonS * 1000);
          return mid === null ? [] : [signedBps(fill, new Decimal(fill.price), mid)];
        });
      const average = values.length === 0 ? null : values.reduce((sum, value) => sum.plus(value), new Decimal(0)).div(values.length);
      return { horizonS, fills: values.length, markoutBps: average === null ? null : average.toDecimalPlaces(3).toFixed() };
    }),
  }));
  const slippage = venues.map((venue) => {
    const counts = new Map<number, number>();
    for (const fill of fills.filter((candidate) => candidate.venue === venue && candidate.intentId !== null)) {
      const arrival = execution.history(fill.intentId!)?.decisions.find((decision) => decision.arrivalMid !== null)?.arrivalMid;
      if (!arrival) continue;
      // (price - arrival mid) for a buy, the other way for a sell: a cost is positive.
      const bps = signedBps(fill, new Decimal(arrival), new Decimal(fill.price)).toDecimalPlaces(0).toNumber();
      const bucket = Math.max(-SLIPPAGE_BUCKET_LIMIT_BPS, Math.min(SLIPPAGE_BUCKET_LIMIT_BPS, bps));
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
    return { venue, buckets: [...counts].sort(([a], [b]) => a - b).map(([bps, count]) => ({ bps, fills: count })) };
  });
  return { horizonsS: MARKOUT_HORIZONS_S, markouts, slippage };
}

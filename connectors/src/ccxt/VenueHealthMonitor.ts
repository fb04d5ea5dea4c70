import { randomUUID } from 'node:crypto';
import type { Exchange } from 'ccxt';
import { Decimal, type VenueHealth, type VenueState } from '@crossvenue/schemas';

export interface HealthThresholds {
  windowMs: number;
  /** A user stream disconnected this long is DEGRADED, and DOWN after downAfterMs. */
  staleAfterMs: number;
  downAfterMs: number;
  /** Error rate (0-1) above which the venue is DEGRADED, and DOWN at or above downErrorRate. */
  degradedErrorRate: string;
  downErrorRate: string;
  degradedRejectRate: string;
  degradedLatencyP99Ms: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {
  windowMs: 60_000,
  staleAfterMs: 5_000,
  downAfterMs: 30_000,
  degradedErrorRate: '0.1',
  downErrorRate: '0.5',
  degradedRejectRate: '0.5',
  degradedLatencyP99Ms: 2_000,
};

interface Outcome {
  atMs: number;
  failed: boolean;
}

interface RoundTrip {
  atMs: number;
  ms: number;
}

/**
 * Measures one venue account as its connector sees it: REST calls that failed, the HTTP round
 * trips' latency, order rejects, and the user stream. The stream is "fresh" while connected (ccxt
 * answers the venue's pings, so a quiet connected stream is alive); once it drops, staleness
 * counts from the drop.
 */
export class VenueHealthMonitor {
  private requests: Outcome[] = [];
  private roundTrips: RoundTrip[] = [];
  private orders: Outcome[] = [];
  private disconnectedAtMs: number | null;
  private bookStaleness: () => number | null = () => null;

  constructor(
    private readonly venue: string,
    private readonly account: string,
    private readonly now: () => number,
    private readonly thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS,
  ) {
    this.disconnectedAtMs = now();
  }

  /** Counts one ccxt REST call towards the error rate; its failure is rethrown. */
  async measure<T>(call: () => Promise<T>): Promise<T> {
    const started = this.now();
    try {
      const result = await call();
      this.requests.push({ atMs: started, failed: false });
      return result;
    } catch (error) {
      this.requests.push({ atMs: started, failed: true });
      throw error;
    }
  }

  /**
   * Times every HTTP round trip `exchange` makes (its `fetch`, which ccxt lets a caller replace):
   * the venue's latency. A ccxt call's own duration is not: it also waits in ccxt's rate limiter
   * (Binance USD-M weighs its income history as 30 requests, 1.5 s in that queue) and for the
   * markets to load, time the venue never saw; counted, it called a busy connector's venue DEGRADED.
   */
  timeRequests(exchange: Pick<Exchange, 'fetch'>): void {
    const send = exchange.fetch.bind(exchange);
    exchange.fetch = async (...request: Parameters<Exchange['fetch']>) => {
      const started = this.now();
      try {
        return await send(...request);
      } finally {
        this.roundTrips.push({ atMs: started, ms: this.now() - started });
      }
    };
  }

  orderOutcome(rejected: boolean): void {
    this.orders.push({ atMs: this.now(), failed: rejected });
  }

  streamConnected(): void {
    this.disconnectedAtMs = null;
  }

  streamDisconnected(): void {
    this.disconnectedAtMs ??= this.now();
  }

  /**
   * Where book staleness comes from (the market-data side). It is reported, not judged here: the
   * router excludes a venue whose book is older than its own maxBookStalenessMs.
   */
  watchBooks(staleness: () => number | null): void {
    this.bookStaleness = staleness;
  }

  report(): VenueHealth {
    const now = this.now();
    const since = now - this.thresholds.windowMs;
    this.requests = this.requests.filter((sample) => sample.atMs >= since);
    this.roundTrips = this.roundTrips.filter((sample) => sample.atMs >= since);
    this.orders = this.orders.filter((sample) => sample.atMs >= since);
    const errorRate = failedFraction(this.requests);
    const rejectRate = failedFraction(this.orders);
    const latencies = this.roundTrips.map((sample) => sample.ms).sort((a, b) => a - b);
    const p50 = percentile(latencies, 0.5);
    const p99 = percentile(latencies, 0.99);
    const stalenessMs = this.disconnectedAtMs === null ? 0 : now - this.disconnectedAtMs;
    const [state, reason] = this.judge(stalenessMs, errorRate, rejectRate, p99);
    return {
      eventId: randomUUID(),
      venue: this.venue,
      account: this.account,
      state,
      bookStalenessMs: this.bookStaleness(),
      userStreamStalenessMs: stalenessMs,
      errorRate: errorRate.toFixed(),
      rejectRate: rejectRate.toFixed(),
      latencyP50Ms: p50,
      latencyP99Ms: p99,
      windowMs: this.thresholds.windowMs,
      reason,
      observedAtMs: now,
    };
  }

  private judge(stalenessMs: number, errorRate: Decimal, rejectRate: Decimal, p99: number | null): [VenueState, string] {
    const t = this.thresholds;
    if (stalenessMs > t.downAfterMs) return ['DOWN', `user stream down ${stalenessMs} ms > ${t.downAfterMs} ms`];
    if (errorRate.gte(t.downErrorRate)) return ['DOWN', `error rate ${errorRate.toFixed(3)} >= ${t.downErrorRate}`];
    if (stalenessMs > t.staleAfterMs) return ['DEGRADED', `user stream down ${stalenessMs} ms > ${t.staleAfterMs} ms`];
    if (errorRate.gt(t.degradedErrorRate)) return ['DEGRADED', `error rate ${errorRate.toFixed(3)} > ${t.degradedErrorRate}`];
    if (rejectRate.gt(t.degradedRejectRate)) return ['DEGRADED', `reject rate ${rejectRate.toFixed(3)} > ${t.degradedRejectRate}`];
    if (p99 !== null && p99 > t.degradedLatencyP99Ms) return ['DEGRADED', `latency p99 ${p99} ms > ${t.degradedLatencyP99Ms} ms`];
    return ['HEALTHY', ''];
  }
}

function failedFraction(samples: Outcome[]): Decimal {
  if (samples.length === 0) return new Decimal(0);
  return new Decimal(samples.filter((s) => s.failed).length).div(samples.length);
}

/** Nearest-rank percentile of sorted values; null when there are none. */
function percentile(sorted: number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!);
}

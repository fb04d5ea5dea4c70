import { createServer, type Server, type ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Whether a worker is ready to be sent traffic (/readyz): it has caught up with its input partitions. */
export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * What a venue connector counts of one venue account's orders and fills. Connectors see this
 * interface, never prom-client; WorkerMetrics.venueOrders gives one bound to a venue account.
 */
export interface VenueOrderMetrics {
  /** A PLACE sent to the venue. */
  sent(): void;
  /** The venue's first answer on a sent order (acceptance or rejection evidence), `seconds` after the send. */
  answered(outcome: 'acknowledged' | 'rejected', seconds: number): void;
  /** A send whose outcome is unknown (a timeout, a dropped connection) until venue evidence resolves it. */
  unknown(): void;
  fills(count: number): void;
}

/** What the execution side measures: each fill's price against the router's expected price. */
export interface ExecutionMetrics {
  /** In basis points, positive when worse than expected (a buy paid more, a sell received less). */
  fillSlippage(venue: string, bps: number): void;
}

/** One venue account's reconciliation: how many discrepancies its latest snapshot showed. */
export interface AccountDrift {
  venue: string;
  account: string;
  discrepancies: number;
}

/**
 * What the trade synchronizer (copy trading) measures per follower: how late its copies are, how
 * far their prices are from the leader's, how far its positions drift from their targets.
 */
export interface SynchronizerMetrics {
  /** From the leader's fill to the follower's order `sent` (intent published) or `filled` (its first fill seen). */
  copyLag(follower: string, stage: 'sent' | 'filled', seconds: number): void;
  /** A follower fill's price against the leader fill it copies, in basis points; positive is worse. */
  copySlippage(follower: string, bps: number): void;
  /** Each follower instrument's drift from its target, as a fraction of the target, read at each scrape. */
  watchFollowerDrift(read: () => Iterable<FollowerDrift>): void;
}

export interface FollowerDrift {
  follower: string;
  instrument: string;
  /** |actual − target| / |target|; the absolute difference when the target is flat. */
  drift: number;
}

export interface ServeOptions {
  /** Loopback unless given: 0.0.0.0 where probes and scrapes come from another host (a pod's kubelet). */
  host?: string;
  /** Asked on every /readyz; ready unless given. */
  readiness?: () => Readiness;
}

/**
 * The Prometheus metrics every worker exposes, labelled by worker: the pipeline's (records in and
 * out, errors, dead letters, consumer lag, handler latency), the domain's (orders, venue
 * acknowledgement latency, fills, slippage against the router's expectation, reconciliation
 * drift, book staleness), restarts and readiness. A worker registers them all and fills in those
 * its components report, so every metric name exists in every worker (the dashboard relies on it).
 */
export class WorkerMetrics implements ExecutionMetrics, SynchronizerMetrics {
  readonly registry = new Registry();
  readonly recordsIn: Counter<'topic'>;
  readonly recordsOut: Counter<'topic'>;
  readonly errors: Counter<'topic' | 'kind'>;
  readonly deadLetters: Counter<'topic'>;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly handlerSeconds: Histogram<'topic'>;
  /** Restarts of this worker by its supervisor, as it was told at start (CROSSVENUE_RESTARTS). */
  readonly restarts: Gauge;
  private readonly ordersSent: Counter<'venue' | 'account'>;
  private readonly ordersAcknowledged: Counter<'venue' | 'account'>;
  private readonly ordersRejected: Counter<'venue' | 'account'>;
  private readonly ordersUnknown: Counter<'venue' | 'account'>;
  private readonly orderAckSeconds: Histogram<'venue' | 'outcome'>;
  private readonly fillsTotal: Counter<'venue' | 'account'>;
  private readonly fillSlippageBps: Histogram<'venue'>;
  private readonly bookStaleness = new Map<string, () => number | null>();
  private readonly drift: Array<() => Iterable<AccountDrift>> = [];
  private readonly copyLagSeconds: Histogram<'follower' | 'stage'>;
  private readonly copySlippageBps: Histogram<'follower'>;
  private readonly followerDrift: Array<() => Iterable<FollowerDrift>> = [];
  private readiness: () => Readiness = () => ({ ready: false, reason: 'not serving yet' });

  constructor(worker: string) {
    this.registry.setDefaultLabels({ worker });
    collectDefaultMetrics({ register: this.registry, prefix: 'crossvenue_process_' });
    const registers = [this.registry];
    this.recordsIn = new Counter({ name: 'crossvenue_records_in_total', help: 'Records consumed', labelNames: ['topic'], registers });
    this.recordsOut = new Counter({ name: 'crossvenue_records_out_total', help: 'Records published', labelNames: ['topic'], registers });
    this.errors = new Counter({ name: 'crossvenue_errors_total', help: 'Handler and decode errors', labelNames: ['topic', 'kind'], registers });
    this.deadLetters = new Counter({ name: 'crossvenue_dead_letters_total', help: 'Records sent to a dead-letter topic', labelNames: ['topic'], registers });
    this.consumerLag = new Gauge({ name: 'crossvenue_consumer_lag', help: 'Records behind the partition end', labelNames: ['topic', 'partition'], registers });
    this.handlerSeconds = new Histogram({
      name: 'crossvenue_handler_seconds',
      help: 'Time to handle one batch',
      labelNames: ['topic'],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    this.restarts = new Gauge({ name: 'crossvenue_restarts', help: 'Times the supervisor restarted this worker (CROSSVENUE_RESTARTS)', registers });
    const readiness = () => this.readyNow();
    new Gauge({
      name: 'crossvenue_ready',
      help: '1 when the worker has caught up with its input partitions (/readyz answers 200), else 0',
      registers,
      collect() {
        this.set(readiness().ready ? 1 : 0);
      },
    });

    const account = ['venue', 'account'] as const;
    this.ordersSent = new Counter({ name: 'crossvenue_orders_sent_total', help: 'Orders sent to the venue', labelNames: account, registers });
    this.ordersAcknowledged = new Counter({ name: 'crossvenue_orders_acknowledged_total', help: 'Sent orders the venue accepted', labelNames: account, registers });
    this.ordersRejected = new Counter({ name: 'crossvenue_orders_rejected_total', help: 'Sent orders the venue rejected (or confirmed it never got)', labelNames: account, registers });
    this.ordersUnknown = new Counter({ name: 'crossvenue_orders_unknown_total', help: 'Sends whose outcome was unknown (timeout, dropped connection) until venue evidence came', labelNames: account, registers });
    this.orderAckSeconds = new Histogram({
      name: 'crossvenue_order_ack_seconds',
      help: "From an order's send to the venue's first acceptance or rejection evidence",
      labelNames: ['venue', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.fillsTotal = new Counter({ name: 'crossvenue_fills_total', help: 'Fills the venue reported, each trade once per connector run', labelNames: account, registers });
    this.fillSlippageBps = new Histogram({
      name: 'crossvenue_fill_slippage_bps',
      help: "A fill's price against the expected average price of its intent's first route decision, in basis points; positive is worse",
      labelNames: ['venue'],
      buckets: [-100, -50, -20, -10, -5, -2, -1, 0, 1, 2, 5, 10, 20, 50, 100],
      registers,
    });

    const drift = this.drift;
    new Gauge({
      name: 'crossvenue_reconcile_discrepancies',
      help: "Position drift: discrepancies in the latest reconciliation of each venue account's snapshot (0: we agree with the venue)",
      labelNames: account,
      registers,
      collect() {
        this.reset();
        for (const read of drift) for (const { venue, account, discrepancies } of read()) this.set({ venue, account }, discrepancies);
      },
    });
    const staleness = this.bookStaleness;
    new Gauge({
      name: 'crossvenue_book_staleness_seconds',
      help: "Time since the last book message of the venue's stalest symbol (a connector with market data on)",
      labelNames: ['venue'],
      registers,
      collect() {
        this.reset();
        for (const [venue, read] of staleness) {
          const ms = read();
          if (ms !== null) this.set({ venue }, ms / 1_000);
        }
      },
    });
    this.copyLagSeconds = new Histogram({
      name: 'crossvenue_copy_lag_seconds',
      help: "From a leader's fill to its follower's order sent (stage=sent) or first filled (stage=filled)",
      labelNames: ['follower', 'stage'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.copySlippageBps = new Histogram({
      name: 'crossvenue_copy_slippage_bps',
      help: "A follower fill's price against the leader fill it copies, in basis points; positive is worse",
      labelNames: ['follower'],
      buckets: [-100, -50, -20, -10, -5, -2, -1, 0, 1, 2, 5, 10, 20, 50, 100],
      registers,
    });
    const followerDrift = this.followerDrift;
    new Gauge({
      name: 'crossvenue_follower_drift',
      help: "A follower's position against the target its sizing mode implies: |actual - target| / |target|",
      labelNames: ['follower', 'instrument'],
      registers,
      collect() {
        this.reset();
        for (const read of followerDrift) for (const { follower, instrument, drift } of read()) this.set({ follower, instrument }, drift);
      },
    });
  }

  /** The order and fill counters of one venue account, for its connector. */
  venueOrders(venue: string, account: string): VenueOrderMetrics {
    const labels = { venue, account };
    return {
      sent: () => this.ordersSent.inc(labels),
      answered: (outcome, seconds) => {
        (outcome === 'acknowledged' ? this.ordersAcknowledged : this.ordersRejected).inc(labels);
        this.orderAckSeconds.observe({ venue, outcome }, seconds);
      },
      unknown: () => this.ordersUnknown.inc(labels),
      fills: (count) => this.fillsTotal.inc(labels, count),
    };
  }

  copyLag(follower: string, stage: 'sent' | 'filled', seconds: number): void {
    this.copyLagSeconds.observe({ follower, stage }, seconds);
  }

  copySlippage(follower: string, bps: number): void {
    this.copySlippageBps.observe({ follower }, bps);
  }

  watchFollowerDrift(read: () => Iterable<FollowerDrift>): void {
    this.followerDrift.push(read);
  }

  fillSlippage(venue: string, bps: number): void {
    this.fillSlippageBps.observe({ venue }, bps);
  }

  /** Book staleness of `venue` in ms (null: no books kept), read at each scrape. */
  watchBookStaleness(venue: string, read: () => number | null): void {
    this.bookStaleness.set(venue, read);
  }

  /** Reconciliation drift per venue account, read at each scrape. */
  watchDrift(read: () => Iterable<AccountDrift>): void {
    this.drift.push(read);
  }

  /**
   * Serves `/metrics`, `/healthz` (200 while the process runs) and `/readyz` (200
   * `{"ready":true}`, or 503 `{"ready":false,"reason":…}`); port 0 picks a free port (see the
   * returned address). Rejects with the listen error (EADDRINUSE) when the port is taken.
   */
  async serve(port: number, options: ServeOptions = {}): Promise<Server> {
    this.readiness = options.readiness ?? (() => ({ ready: true }));
    const server = createServer(async (request, response) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path === '/metrics') {
        response.writeHead(200, { 'content-type': this.registry.contentType });
        response.end(await this.registry.metrics());
      } else if (path === '/healthz') {
        json(response, 200, { live: true });
      } else if (path === '/readyz') {
        const readiness = this.readyNow();
        json(response, readiness.ready ? 200 : 503, readiness);
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, options.host ?? '127.0.0.1', resolve));
    return server;
  }

  private readyNow(): Readiness {
    try {
      return this.readiness();
    } catch (error) {
      return { ready: false, reason: `readiness check failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

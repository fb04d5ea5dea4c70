import { randomUUID } from 'node:crypto';
import { TOPICS, type Alert, type OrderCommand, type VenueHealth, type VenueState } from '@crossvenue/schemas';
import { backoffMs, type Logger, type MessageBus, type VenueOrderMetrics } from '@crossvenue/runtime';
import ccxt, { type Exchange } from 'ccxt';
import { AccountLeverage } from './AccountLeverage.ts';
import { followVenueClock } from './venueClock.ts';
import { CcxtExecution, type ExecutionOptions } from './CcxtExecution.ts';
import { errorMessage } from './failureKind.ts';
import type { ConnectorContext } from './ConnectorContext.ts';
import { OrderReporter } from './OrderReporter.ts';
import { OwnFills } from './OwnFills.ts';
import { OwnStream } from './OwnStream.ts';
import { TrackedOrders } from './TrackedOrders.ts';
import { CcxtMarketData, MARKET_DATA_TOPICS, type CcxtMarketDataOptions } from './marketData/CcxtMarketData.ts';
import { capabilitiesOf } from '../venues/capabilitiesOf.ts';
import { DEFAULT_HEALTH_THRESHOLDS, VenueHealthMonitor, type HealthThresholds } from './VenueHealthMonitor.ts';
import { VenueSnapshots } from './VenueSnapshots.ts';

export interface CcxtConnectorOptions {
  /** A ccxt pro instance with credentials; `exchange.id` picks the capability row. */
  exchange: Exchange;
  venue: string;
  account: string;
  portfolio: string;
  instruments: readonly string[];
  messages: MessageBus;
  logger: Logger;
  now?: () => number;
  /** The consumer group reading order commands; one per venue account. */
  groupId?: string;
  snapshotIntervalMs?: number;
  tradesWindowMs?: number;
  healthIntervalMs?: number;
  health?: Partial<HealthThresholds>;
  execution?: Partial<Omit<ExecutionOptions, 'startedAtMs'>>;
  reconnectDelayMs?: number;
  /** Orders and fills counted for the worker's /metrics (WorkerMetrics.venueOrders). */
  metrics?: VenueOrderMetrics;
  /** Turns the market-data side on for these unified symbols (metadata, books, trades, funding). */
  marketData?: Pick<CcxtMarketDataOptions, 'symbols' | 'bookIntervalMs' | 'bookHeartbeatMs' | 'bookDepth' | 'symbolsRefreshMs' | 'fundingPollMs'>;
}

/**
 * The account's one connector is the only member of its commands group, so after a kill -9 its
 * successor's join waits until the dead member's session expires (kafkajs has no static
 * membership): the broker's least session (group.min.session.timeout.ms, 6 s) keeps that wait, and
 * the time orders for this venue wait, shortest. A long command does not cost the membership: the
 * bus heartbeats while a batch is handled.
 */
const COMMANDS_SESSION_TIMEOUT_MS = 6_000;

/** The topics a ccxt connector consumes and publishes. */
export const CCXT_CONNECTOR_TOPICS = [TOPICS.orderCommands, TOPICS.controlCommands, TOPICS.orderEvents, TOPICS.fills, TOPICS.venueSnapshots, TOPICS.balanceSnapshots, TOPICS.fundingPayments, TOPICS.venueHealth, TOPICS.alerts, ...MARKET_DATA_TOPICS];

/**
 * The generic ccxt connector of one venue account: order commands in; order events, fills, venue
 * snapshots, balance snapshots and venue health out. It publishes venue evidence as events; the
 * execution side applies the one order transition table (processors/src/orders/), which
 * connectors never import.
 */
export class CcxtConnector {
  readonly context: ConnectorContext;
  private readonly execution: CcxtExecution;
  private readonly stream: OwnStream;
  private readonly snapshots: VenueSnapshots;
  private readonly marketData: CcxtMarketData | undefined;
  private readonly leverage: AccountLeverage;
  private consumer: { stop(): Promise<void> } | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private lastHealthState: VenueState | undefined;
  private stopped = false;

  constructor(private readonly options: CcxtConnectorOptions) {
    const now = options.now ?? Date.now;
    const thresholds = { ...DEFAULT_HEALTH_THRESHOLDS, ...options.health };
    this.context = {
      exchange: options.exchange,
      capabilities: capabilitiesOf(options.exchange.id),
      venue: options.venue,
      account: options.account,
      portfolio: options.portfolio,
      instruments: options.instruments,
      messages: options.messages,
      logger: options.logger,
      health: new VenueHealthMonitor(options.venue, options.account, now, thresholds),
      metrics: options.metrics,
      now,
    };
    this.context.health.timeRequests(options.exchange);
    followVenueClock(options.exchange, options.logger, now);
    const reporter = new OrderReporter(this.context, new TrackedOrders());
    this.execution = new CcxtExecution(this.context, reporter, {
      notFoundGraceMs: 10_000,
      lookupRetryMs: 500,
      cancelAttempts: 3,
      ...options.execution,
      startedAtMs: now(),
    });
    this.stream = new OwnStream(this.context, reporter, new OwnFills(this.context, reporter), {
      reconnectDelayMs: options.reconnectDelayMs ?? 1_000,
      catchUpLookbackMs: options.tradesWindowMs ?? 10 * 60_000,
    });
    this.leverage = new AccountLeverage(this.context);
    this.snapshots = new VenueSnapshots(this.context, {
      intervalMs: options.snapshotIntervalMs ?? 30_000,
      tradesWindowMs: options.tradesWindowMs ?? 10 * 60_000,
    });
    if (options.marketData) {
      const { health } = this.context;
      this.marketData = new CcxtMarketData({
        ...options.marketData,
        exchange: options.exchange,
        venue: options.venue,
        messages: options.messages,
        logger: options.logger,
        now,
        retryDelayMs: options.reconnectDelayMs,
        measure: (call) => health.measure(call),
      });
      const marketData = this.marketData;
      health.watchBooks(() => marketData.bookStalenessMs());
    }
  }

  async start(): Promise<void> {
    const { exchange, messages, venue, account } = this.context;
    exchange.enableRateLimit = true; // ccxt's per-venue request pacing
    await this.loadMarkets();
    await this.leverage.start();
    await this.marketData?.start();
    this.stream.start();
    await this.snapshots.publishBalances();
    this.snapshots.start();
    this.healthTimer = setInterval(() => void this.publishHealth(), this.options.healthIntervalMs ?? 5_000);
    // No command before the fills already published are read back: the first catch-up waits for
    // them, and a trade of a command taken meanwhile would fall to a catch-up that started late (a
    // fill the stream never sent is then published by the catch-up, not found by the reconciler).
    await this.stream.recalledFills();
    this.consumer = await messages.subscribe({
      groupId: this.options.groupId ?? `ccxt-connector.${venue}.${account}`,
      topics: [TOPICS.orderCommands],
      sessionTimeoutMs: COMMANDS_SESSION_TIMEOUT_MS,
      handle: (batch) => this.execution.handleBatch(batch.map(({ value }) => value)),
    });
  }

  /**
   * The venue's markets, asked for again while the venue cannot be reached (a ccxt NetworkError: not
   * up yet, dark, or answering 429), with its health published meanwhile and the wait doubling up
   * to START_RETRY_MAX_MS. A dark venue is an input: a connector that exited would be restarted
   * into the same refusal, and under load one started before its simulated venue listened did.
   * Any other failure (keys refused, an unknown symbol) ends the start.
   */
  private async loadMarkets(): Promise<void> {
    const { exchange, health, logger } = this.context;
    for (let attempt = 1; ; attempt++) {
      try {
        // ccxt keeps a failed load and hands it out again unless asked to reload.
        await health.measure(() => exchange.loadMarkets(attempt > 1));
        return;
      } catch (error) {
        if (!(error instanceof ccxt.NetworkError) || this.stopped) throw error;
        const delayMs = backoffMs({ initialMs: this.options.reconnectDelayMs ?? 1_000, maxMs: START_RETRY_MAX_MS }, attempt - 1);
        logger.warn({ attempt, err: errorMessage(error) }, `venue unreachable at start (attempt ${attempt}); asking again in ${delayMs} ms`);
        await this.publishHealth();
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  /** Handles one command directly (the subscription hands its batches to CcxtExecution.handleBatch). */
  handle(command: OrderCommand): Promise<void> {
    return this.execution.handle(command);
  }

  async publishHealth(): Promise<void> {
    try {
      const report = this.context.health.report();
      const alert = venueStateAlert(this.lastHealthState, report);
      this.lastHealthState = report.state;
      await this.context.messages.publish(TOPICS.venueHealth, [report]);
      if (alert) await this.context.messages.publish(TOPICS.alerts, [alert]);
    } catch (error) {
      this.context.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'publishing venue health failed');
    }
  }

  /** Time since the last book message of its stalest symbol, in ms; null without market data (SYMBOLS). */
  bookStalenessMs(): number | null {
    return this.marketData?.bookStalenessMs() ?? null;
  }

  publishSnapshot(): Promise<void> {
    return this.snapshots.publishOne();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.healthTimer);
    await this.consumer?.stop();
    await this.leverage.stop();
    await this.snapshots.stop();
    await this.execution.stop();
    // Both stop before either closes the shared ccxt client, so neither takes the close for a drop.
    await Promise.all([this.stream.stop(), this.marketData?.stop()]);
  }
}

/** The longest wait between two tries to load the markets of a venue unreachable at start. */
const START_RETRY_MAX_MS = 10_000;

/**
 * The alert a change of the account's venue state raises: VENUE_DOWN (critical) when it goes
 * DOWN, VENUE_UP (info) when it comes back; nothing while it stays as it was.
 */
function venueStateAlert(before: VenueState | undefined, report: VenueHealth): Alert | null {
  const down = report.state === 'DOWN';
  if (down === (before === 'DOWN')) return null;
  return {
    eventId: randomUUID(),
    severity: down ? 'CRITICAL' : 'INFO',
    code: down ? 'VENUE_DOWN' : 'VENUE_UP',
    component: 'ccxt-connector',
    venue: report.venue,
    account: report.account,
    subject: null,
    message: down ? `${report.venue}/${report.account} is DOWN: ${report.reason}` : `${report.venue}/${report.account} is ${report.state} again`,
    raisedAtMs: report.observedAtMs,
  };
}

import { ExecutionWorker, parseRiskLimits, PositionsWorker, RouterWorker, StrategyRunner, type RiskLimits, type Strategy } from '@crossvenue/processors';
import { ALL_TOPICS, LocalCodec, type Decimal } from '@crossvenue/schemas';
import { InProcessBus, MessageBus, type Logger } from '@crossvenue/runtime';
import { BookFillModel, ProbabilisticFillModel, ReplayVenue, type FillModelName } from '@crossvenue/simulator';
import { RunError } from '../supervisor/RunError.ts';
import { BacktestRecorder, type RecordedOutcome } from './BacktestRecorder.ts';
import type { RecordedMarket } from './RecordedMarket.ts';
import { ReplayConnector } from './ReplayConnector.ts';

/** The account each replay venue opens for the run. */
export const BACKTEST_ACCOUNT = 'backtest';

/** After the data ends, orders still in flight arrive for at most this long of simulated time. */
const DRAIN_MS = 60_000;

/** Wall time the pipeline may take to settle after one event: longer means a handler keeps failing (and retrying). */
const SETTLE_TIMEOUT_MS = 30_000;

export interface VenueSettings {
  latency: { insertMs: number; cancelMs: number };
  fees: { maker: Decimal; taker: Decimal };
}

export interface BacktestOptions {
  market: RecordedMarket;
  /** What trades: a strategy (with its name and settings), run by StrategyRunner on the simulated clock. */
  strategy: { name: string; strategy: Strategy; settings: Readonly<Record<string, unknown>> };
  portfolio: string;
  seed: number;
  fillModel: FillModelName;
  /** Chance that a resting order at the touch fills on a recorded book (probabilistic model). */
  touchProbability: number;
  venueSettings: (venue: string) => VenueSettings;
  limits?: RiskLimits;
  /** Times (run clock) at which the strategy's timer is also ticked, besides every recorded event: scripted intents' times. */
  wakeAt?: readonly number[];
  logger: Logger;
  /** Called now and then with the book events done so far (progress). */
  onProgress?: (done: number, total: number) => void;
}

export interface BacktestResult extends RecordedOutcome {
  /** Of the replay: reading and parsing the files (`loadSeconds`, when the caller measured it) is apart. */
  speed: { bookEvents: number; wallSeconds: number; eventsPerSecond: number; timesRealTime: number; loadSeconds?: number };
}

/**
 * Risk limits of a backtest unless given: the fat-finger band only (limit prices within 5 % of the
 * mid). Notional and position limits need a conversion to one currency, which recorded data of
 * several quote currencies does not give.
 */
export function backtestRiskLimits(): RiskLimits {
  return parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: { priceBand: '0.05' } });
}

/**
 * The backtest: recorded markets replayed through the real pipeline. The router, execution (risk
 * inside) and positions workers of @crossvenue/processors, unchanged, on the in-process bus, with
 * a simulated clock that the run sets to each recorded event's receive time; per recorded venue a
 * ReplayVenue behind a ReplayConnector. After each event (and each order arrival at a venue) the
 * run waits until the bus has settled (InProcessBus.settled), so everything an event causes
 * happens at that event's time, and the run is deterministic for a seed.
 */
export async function runBacktest(options: BacktestOptions): Promise<BacktestResult> {
  const { market, logger } = options;
  const startedAt = performance.now();
  const clock = { now: market.startMs - 1 };
  const now = () => clock.now;
  const bus = new InProcessBus();
  const codec = new LocalCodec();
  const messages = new MessageBus(bus, codec, logger);
  await messages.prepare(ALL_TOPICS);
  const component = (name: string) => logger.child({ component: name });

  const venueNames = [...new Set(market.instruments.map((instrument) => instrument.venue))].sort();
  const connectors = new Map<string, ReplayConnector>();
  venueNames.forEach((name, index) => {
    const { latency, fees } = options.venueSettings(name);
    // Each venue draws from its own generator, seeded from the run's seed and its place in the run.
    const fillModel = options.fillModel === 'book' ? new BookFillModel() : new ProbabilisticFillModel(options.seed * 1_000 + index, options.touchProbability);
    const venue = new ReplayVenue({ name, latency, fees, fillModel });
    const instruments = market.instruments.filter((instrument) => instrument.venue === name);
    connectors.set(name, new ReplayConnector({ venue, account: BACKTEST_ACCOUNT, messages, clock: now, logger: component(`replay-${name}`), instruments }));
  });
  const venues = [...connectors.values()].map((connector) => ({ connector, venue: connector.replayVenue }));

  const recorder = new BacktestRecorder(messages, market.instruments, now);
  const accounts = venueNames.map((venue) => ({ venue, account: BACKTEST_ACCOUNT }));
  const parts: Array<{ stop(): Promise<void> }> = [];
  const start = async <T extends { start(): Promise<void>; stop(): Promise<void> }>(part: T) => {
    await part.start();
    parts.push(part);
    return part;
  };
  try {
    await start(recorder);
    for (const connector of connectors.values()) await start(connector);
    await start(new RouterWorker({ messages, logger: component('router'), accounts, clock: now }));
    await start(new ExecutionWorker({ messages, codec, logger: component('execution'), limits: options.limits ?? backtestRiskLimits(), clock: now, snapshots: false }));
    await start(new PositionsWorker({ messages, logger: component('positions') }));
    const runner = await start(
      new StrategyRunner({ messages, ...options.strategy, portfolio: options.portfolio, logger: component('strategy'), clock: now, timers: 'driven' }),
    );
    const settled = async () => {
      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RunError(`backtest: the pipeline did not settle within ${SETTLE_TIMEOUT_MS / 1_000} s of wall time at ${new Date(clock.now).toISOString()}; a handler keeps failing (see the log)`)), SETTLE_TIMEOUT_MS);
      });
      try {
        await Promise.race([bus.settled(), stuck]);
      } finally {
        clearTimeout(timer);
      }
    };
    await settled();

    /** Orders and cancels in flight reach their venue, in time order, until `untilMs` (exclusive). */
    const arrivals = async (untilMs: number) => {
      for (;;) {
        let next: (typeof venues)[number] | undefined;
        for (const candidate of venues) {
          const at = candidate.venue.nextArrivalMs();
          if (at !== undefined && at < untilMs && (next === undefined || at < next.venue.nextArrivalMs()!)) next = candidate;
        }
        if (!next) return;
        clock.now = Math.max(clock.now, next.venue.nextArrivalMs()!);
        await next.connector.publishReports(next.venue.arrive());
        await runner.tick();
        await settled();
      }
    };

    // As a real connector publishes the books of the instruments it is configured for: the
    // strategy's. The replay venues follow every recorded book all the same.
    const traded = new Set(options.strategy.strategy.instruments);
    const wakes = [...(options.wakeAt ?? [])].sort((a, b) => a - b);
    let wake = 0;
    let books = 0;
    for (const event of market.events) {
      for (; wake < wakes.length && wakes[wake]! < event.atMs; wake++) {
        await arrivals(wakes[wake]!);
        clock.now = Math.max(clock.now, wakes[wake]!);
        await runner.tick();
        await settled();
      }
      await arrivals(event.atMs);
      clock.now = Math.max(clock.now, event.atMs);
      const { connector, venue } = venues.find((candidate) => candidate.venue.name === event.venue)!;
      if (event.kind === 'book') {
        books++;
        await connector.publishReports(venue.onBook(event.instrument, event.bids, event.asks, event.atMs));
        if (traded.has(event.instrument)) {
          recorder.onBook(event.venue, event.instrument, event.bids, event.asks, event.atMs);
          await connector.publishBook(event);
        }
        if (books % 10_000 === 0) options.onProgress?.(books, market.bookEvents);
      } else {
        await connector.publishReports(venue.onTrade(event.instrument, event.trade, event.atMs));
      }
      await runner.tick();
      await settled();
    }
    await arrivals(market.endMs + DRAIN_MS);
    await settled();
    const outcome = recorder.outcome();
    const wallSeconds = (performance.now() - startedAt) / 1_000;
    return {
      ...outcome,
      speed: {
        bookEvents: market.bookEvents,
        wallSeconds: round(wallSeconds, 3),
        eventsPerSecond: round(market.bookEvents / wallSeconds, 0),
        timesRealTime: round(market.spanMs / 1_000 / wallSeconds, 1),
      },
    };
  } finally {
    for (const part of parts.reverse()) await part.stop();
    await bus.close();
  }
}

function round(value: number, places: number): number {
  const scale = 10 ** places;
  return Math.round(value * scale) / scale;
}

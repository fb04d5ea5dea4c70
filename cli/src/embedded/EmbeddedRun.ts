import type { ApiKeys } from '@crossvenue/gateway';
import { ReconcilerWorker } from '@crossvenue/processors';
import { ALL_TOPICS, Decimal, LocalCodec, type Codec } from '@crossvenue/schemas';
import { InProcessBus, MessageBus, type Logger } from '@crossvenue/runtime';
import { DEMO_PERPETUAL_VENUE, DEMO_SYMBOLS, DEMO_VENUES, startVenues, venueInstruments, type DemoOptions, type RunningVenues } from '../demoVenues.ts';
import { cycleFundingRates, DEMO_FUNDING_INTERVAL_MS } from './demoFunding.ts';
import { startPipeline } from './pipeline.ts';
import { StopStack } from './StopStack.ts';
import { accountOf, startVenueConnector } from './venueConnectors.ts';

/** The portfolio the demo accounts belong to: orders through the API name it. */
export const DEMO_PORTFOLIO = 'demo';

export interface EmbeddedRunOptions {
  /** The gateway's port on loopback; 0 takes any free port. */
  gatewayPort: number;
  keys: ApiKeys;
  logger: Logger;
  /**
   * Seed, symbols and background flow of the demo venues (flow on by default: books keep moving),
   * the demo strategy (`strategy`) and the demo arbitrage (`arbitrage`), each on by default with
   * the flow and always off without it, so still books only change when a test orders. `funding`
   * adds the perpetuals venue sim-usdm (funding every minute unless `fundingIntervalMs` says
   * otherwise) and, with the flow, the demo funding arbitrage over it and funding rates that
   * change regime every few minutes; on by default with the flow, off without it unless asked for.
   */
  demo?: DemoOptions & { strategy?: boolean; arbitrage?: boolean; funding?: boolean };
  /**
   * Another bus for the same pipeline, e.g. Kafka and the schema registry under a namespace of
   * its own (end-to-end tests); the codec encodes what the execution worker publishes in
   * transactions. The run closes it when it stops. The in-process bus unless given.
   */
  bus?: { messages: MessageBus; codec: Codec };
  /** The saved backtest runs' folder the gateway serves (`crossvenue start`: CROSSVENUE_BACKTESTS_DIR); none unless given. */
  backtests?: string;
}

export interface EmbeddedRun {
  /** The dashboard and the API. */
  gatewayUrl: string;
  venues: RunningVenues;
  /** The run's bus: what an observer (a test, a tool in the same process) subscribes to. */
  messages: MessageBus;
  stop(): Promise<void>;
}

/**
 * How the pieces of the run pace themselves: fast enough that a person sees state move. A still
 * book's heartbeat as often as a moving one's updates: the router charges book age (2 bps a second,
 * about one ladder level), so a still venue must not look older than a moving one.
 */
const TIMING = { bookIntervalMs: 100, bookHeartbeatMs: 500, snapshotIntervalMs: 10_000, healthIntervalMs: 2_000, fundingPollMs: 1_000 };

/** Venue snapshots compared against our state: the connectors' snapshots are 10 s apart. */
const RECONCILE_POLICY = { graceMs: 3_000, maxSnapshotAgeMs: 60_000, balanceTolerance: new Decimal(0) };

/**
 * The embedded run (DESIGN.md "Two ways to run"): the whole pipeline in one process over the
 * in-process bus, with the same topics, keys, partitions and Avro encoding as on Kafka. The demo's
 * simulated venues; per venue account a ccxt connector (account side and market data); the
 * router over every venue account; risk and execution; positions; the reconciler; the gateway
 * with its dashboard; and, on moving books, the demo strategy and the demo arbitrage trading the
 * demo portfolio. It never contacts a live venue: every connector is pointed at a simulator
 * started here.
 */
export async function startEmbeddedRun(options: EmbeddedRunOptions): Promise<EmbeddedRun> {
  const { logger } = options;
  const { messages, codec } = options.bus ?? inProcess(logger);
  const parts = new StopStack();
  parts.push({ stop: () => messages.bus.close() });
  await messages.prepare(ALL_TOPICS);
  const component = (name: string) => logger.child({ component: name });

  // The demo strategy and arbitrage trade moving books only: still ones change when a test orders.
  const moving = options.demo?.flow !== false;
  const arbitrage = moving && options.demo?.arbitrage !== false;
  const funding = options.demo?.funding ?? moving;
  return parts.guard(async () => {
    // The demo's venues quote apart and their prices move whenever their books do; for the demo
    // arbitrage they also jump apart now and then by more than the fees.
    const plans = funding ? [...DEMO_VENUES, DEMO_PERPETUAL_VENUE] : DEMO_VENUES;
    const venues = parts.push(await startVenues(plans, { movingPrices: true, diverging: arbitrage, fundingIntervalMs: DEMO_FUNDING_INTERVAL_MS, ...options.demo }));
    for (const venue of venues.endpoints) logger.info({ venue: venue.name, dialect: venue.dialect, url: venue.restUrl }, `simulated venue ${venue.name} up`);

    const symbols = options.demo?.symbols ?? DEMO_SYMBOLS;
    for (const venue of venues.endpoints) {
      parts.push(await startVenueConnector(venue, { portfolio: DEMO_PORTFOLIO, instruments: venueInstruments(venue, symbols), messages, logger: component('ccxt-connector'), ...TIMING }));
    }
    const perpetuals = venues.venues.find((venue) => venue.perpetuals !== undefined);
    if (perpetuals && moving) parts.push(cycleFundingRates(perpetuals, symbols.map((symbol) => symbol.replace('/', ''))));

    const reconciler = new ReconcilerWorker(messages, RECONCILE_POLICY, component('reconciler'));
    await reconciler.start();
    parts.push(reconciler);

    const gatewayUrl = await startPipeline(parts, {
      messages,
      codec,
      logger,
      accounts: venues.endpoints.map(accountOf),
      portfolio: DEMO_PORTFOLIO,
      gatewayPort: options.gatewayPort,
      keys: options.keys,
      strategy: moving && options.demo?.strategy !== false,
      arbitrage,
      fundingArbitrage: funding && moving,
      backtests: options.backtests,
    });
    return { gatewayUrl, venues, messages, stop: () => parts.stopAll() };
  });
}

function inProcess(logger: Logger): { messages: MessageBus; codec: Codec } {
  const codec = new LocalCodec();
  return { messages: new MessageBus(new InProcessBus(), codec, logger), codec };
}

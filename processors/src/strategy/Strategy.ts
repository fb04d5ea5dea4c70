import type { Balance, BookSnapshot, Fill, FundingPayment, FundingRate, IntentStatus, OrderEvent, Side, SymbolMetadata, TimeInForce } from '@crossvenue/schemas';
import type { Logger } from '@crossvenue/runtime';

/**
 * The strategy interface: the one contract a strategy is written against, whether it runs in a
 * backtest (recorded books, simulated time), in paper mode, in the embedded run or as a worker on
 * Kafka. A strategy never talks to a venue: it publishes intents (through `place`/`cancel`) and is
 * told what the pipeline saw (books, its portfolio's order events and fills, its intents' status). Moving it between those
 * modes changes only the configuration it is given, never its code.
 *
 * Handlers may be async; the runner awaits each before handing over the next input, so a strategy
 * sees its inputs in order and one at a time.
 */
export interface Strategy {
  /** Instruments whose books it wants (unified symbols, e.g. BTC/USDT). */
  readonly instruments: readonly string[];
  /** How often `onTimer` runs, in ms of the run's clock; omitted: never. */
  readonly timerMs?: number;
  /**
   * Reference state it reads through the context: 'markets' for `context.market` (ref.symbols),
   * 'balances' for `context.balances` (state.balances), 'funding' for `context.fundingRate`
   * (md.funding-rates). Declared, so the runner subscribes (and a worker prepares) only the topics
   * a strategy uses; omitted: none.
   */
  readonly reads?: ReadonlyArray<StrategyReads>;
  start?(context: StrategyContext): void | Promise<void>;
  /** A venue's book of one of `instruments` (the latest of every venue is also in `context.books`). */
  onBook?(book: BookSnapshot, context: StrategyContext): void | Promise<void>;
  /** A fill of an order of its portfolio. */
  onFill?(fill: Fill, context: StrategyContext): void | Promise<void>;
  /** A venue's report on an order of its portfolio. */
  onOrderEvent?(event: OrderEvent, context: StrategyContext): void | Promise<void>;
  /** A change of one of its own intents (exec.intent-status): working, filled so far, done, refused and why. */
  onStatus?(status: IntentStatus, context: StrategyContext): void | Promise<void>;
  /**
   * A funding payment a venue settled on a perpetual position of its portfolio
   * (exec.funding-payments). The connectors list them again with every venue snapshot, so the same
   * payment (venue, account, fundingId) may come more than once: count it once.
   */
  onFundingPayment?(payment: FundingPayment, context: StrategyContext): void | Promise<void>;
  onTimer?(context: StrategyContext): void | Promise<void>;
}

export type StrategyReads = 'markets' | 'balances' | 'funding';

/** An order a strategy asks for: the router chooses venues (among `venues` when given) and splits it. */
export interface OrderRequest {
  instrument: string;
  side: Side;
  /** In the base currency, a decimal string. */
  amount: string;
  /** Null or omitted: a market order. */
  limitPrice?: string | null;
  /** Default IOC: a strategy's order takes what is there and leaves nothing resting unless it says so. */
  timeInForce?: Extract<TimeInForce, 'GTC' | 'IOC' | 'FOK'>;
  postOnly?: boolean;
  reduceOnly?: boolean;
  /** Venues the router may use; empty or omitted means any. */
  venues?: readonly string[];
}

/** What a running strategy may read and do. */
export interface StrategyContext {
  /** The strategy's name: its intents are requested by it and their ids start with it. */
  readonly name: string;
  /** The portfolio its intents are for and whose fills and order events it is told. */
  readonly portfolio: string;
  /** The strategy's own settings, as configured (a JSON object). */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly logger: Logger;
  /** The run's clock in ms: simulated time in a backtest, wall time otherwise. */
  now(): number;
  /** The latest book of each venue for `instrument` (venue → book). */
  books(instrument: string): ReadonlyMap<string, BookSnapshot>;
  /** The venue's latest rules and fees for `instrument` (ref.symbols); undefined until published. Needs `reads: ['markets']`. */
  market(venue: string, instrument: string): SymbolMetadata | undefined;
  /**
   * What its portfolio holds on `venue` (asset → balance, decimal strings), summed over the
   * portfolio's accounts there, from the latest state.balances of each; empty until published.
   * Balances lag the fills by the connector's snapshot interval. Needs `reads: ['balances']`.
   */
  balances(venue: string): ReadonlyMap<string, Balance>;
  /**
   * The latest funding rate of a perpetual on `venue` (md.funding-rates), undefined until
   * published. Its `fundingIntervalMs` is the venue's where the venue says it, else the time
   * between the last two settlement times seen, else null. Needs `reads: ['funding']`.
   */
  fundingRate(venue: string, instrument: string): FundingRate | undefined;
  /** Publishes a PLACE intent; resolves to its intent id once the bus has it. */
  place(order: OrderRequest): Promise<string>;
  /** Publishes a CANCEL of an intent it placed. */
  cancel(intentId: string): Promise<void>;
}

/** A strategy module's default export: makes the strategy from its settings, refusing bad ones with a one-line error. */
export type StrategyFactory = (settings: Readonly<Record<string, unknown>>) => Strategy;

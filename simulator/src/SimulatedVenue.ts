import { Decimal } from '@crossvenue/schemas';
import { binanceDialect } from './binance/binanceDialect.ts';
import { bybitDialect } from './bybit/bybitDialect.ts';
import { binanceUsdmDialect } from './binanceusdm/usdmDialect.ts';
import { okxDialect } from './okx/okxDialect.ts';
import { BookStream } from './BookStream.ts';
import { BackgroundFlow, type MidWalk } from './engine/BackgroundFlow.ts';
import { MatchingEngine } from './engine/MatchingEngine.ts';
import { Perpetuals } from './engine/Perpetuals.ts';
import { seedLadder } from './engine/seedLadder.ts';
import { Faults, type FaultSettings } from './Faults.ts';
import type { SimulatedMarket } from './markets.ts';
import type { SimulatedAccount } from './SimulatedAccount.ts';
import { VenueTransport } from './VenueTransport.ts';

const SPOT_DIALECTS = { binance: binanceDialect, bybit: bybitDialect, okx: okxDialect };
/** Dialects of perpetual-futures venues: their markets are linear perpetuals margined in the quote asset. */
const PERPETUAL_DIALECTS = ['binanceusdm'] as const;

export type VenueDialect = keyof typeof SPOT_DIALECTS | (typeof PERPETUAL_DIALECTS)[number];

export const isPerpetualDialect = (dialect: VenueDialect): boolean => (PERPETUAL_DIALECTS as readonly string[]).includes(dialect);

/** Binance settles USD-M funding every 8 hours. */
const DEFAULT_FUNDING_INTERVAL_MS = 8 * 60 * 60 * 1000;

export interface SimulatedVenueOptions {
  /** e.g. `sim-binance-a`. */
  name: string;
  dialect: VenueDialect;
  markets: readonly SimulatedMarket[];
  /** Fee rates as decimal strings, e.g. `{maker: '0.001', taker: '0.001'}`. */
  fees: { maker: string; taker: string };
  accounts: SimulatedAccount[];
  /** Seeds the background flow and latency jitter; the same seed replays the same run. */
  seed?: number;
  /** Milliseconds between background-flow steps; 0 or absent = a still book. */
  flowIntervalMs?: number;
  /** With the flow on: a random walk the venue's mid follows (see MidWalk); without, the mid stays near its seed. */
  walk?: MidWalk;
  clock?: () => number;
  /** Faults active from the start (e.g. a venue's usual latency). */
  faults?: FaultSettings;
  /**
   * The first order and trade id (default 1). A real venue never gives an id twice; a simulated
   * venue restarted over the same Kafka history must not either, or its new fills would carry the
   * identity (venue, account, trade id) of old ones and be taken for duplicates.
   */
  firstId?: number;
  /** A perpetual venue's funding interval (default 8 h); every position pays or receives funding at its end. */
  fundingIntervalMs?: number;
}

/** Where a started venue listens, and who may trade on it. */
export interface VenueEndpoints {
  name: string;
  dialect: VenueDialect;
  restUrl: string;
  wsUrl: string;
  adminUrl: string;
  accounts: SimulatedAccount[];
}

/** Account whose orders make up the seeded ladders. */
const LIQUIDITY_ACCOUNT = 'seed-liquidity';
const DEPTH_STREAM_INTERVAL_MS = 100;

/**
 * One simulated venue: a matching engine, seeded liquidity, optional background flow, a wire
 * dialect on a loopback port, and its faults (in-process via `faults`, or over HTTP `/__admin/`).
 */
export class SimulatedVenue {
  readonly engine: MatchingEngine;
  readonly faults: Faults;
  /** A perpetual venue's positions, margin and funding; undefined on a spot venue. */
  readonly perpetuals: Perpetuals | undefined;
  private readonly transport: VenueTransport;
  private readonly book: BookStream;
  private readonly flow: BackgroundFlow | undefined;
  private fundingTimer: NodeJS.Timeout | undefined;

  constructor(readonly options: SimulatedVenueOptions) {
    const seed = options.seed ?? 1;
    this.faults = new Faults(seed);
    if (options.faults) this.faults.set(options.faults);
    // Every time the venue stamps or checks is read here, so a clock skew fault moves all of them at once.
    const hostClock = options.clock ?? Date.now;
    const clock = () => hostClock() + this.faults.skewMs();
    this.perpetuals = isPerpetualDialect(options.dialect)
      ? new Perpetuals({
          symbols: options.markets.map((market) => market.rules.symbol),
          marginAsset: 'USDT',
          seed,
          fundingIntervalMs: this.fundingIntervalMs,
          clock,
        })
      : undefined;
    this.engine = new MatchingEngine({
      markets: options.markets.map((market) => market.rules),
      fees: { maker: new Decimal(options.fees.maker), taker: new Decimal(options.fees.taker) },
      clock,
      firstOrderId: options.firstId,
      firstTradeId: options.firstId,
      funds: this.perpetuals?.funds,
    });
    for (const account of options.accounts) {
      for (const [asset, amount] of Object.entries(account.balances)) this.engine.balances.credit(account.name, asset, new Decimal(amount));
    }
    for (const market of options.markets) seedLadder(this.engine, market.rules.symbol, LIQUIDITY_ACCOUNT, market.ladder);
    this.book = new BookStream(this.faults);
    this.engine.onEvents((events) => this.book.record(events));
    const wire = this.perpetuals
      ? binanceUsdmDialect(this.engine, options.accounts, this.faults, this.book, this.perpetuals)
      : SPOT_DIALECTS[options.dialect as keyof typeof SPOT_DIALECTS](this.engine, options.accounts, this.faults, this.book);
    this.transport = new VenueTransport(wire, this.faults);
    this.flow = options.flowIntervalMs ? new BackgroundFlow(this.engine, seed, options.walk) : undefined;
  }

  /** Listens on 127.0.0.1:`port` (0 = a free port). */
  async start(port = 0): Promise<VenueEndpoints> {
    await this.transport.start(port);
    this.book.start(DEPTH_STREAM_INTERVAL_MS);
    if (this.flow) this.flow.start(this.options.flowIntervalMs!);
    if (this.perpetuals) {
      const perpetuals = this.perpetuals;
      this.fundingTimer = setInterval(() => perpetuals.settleFunding(), this.fundingIntervalMs);
      this.fundingTimer.unref();
    }
    return this.endpoints;
  }

  private get fundingIntervalMs(): number {
    return this.options.fundingIntervalMs ?? DEFAULT_FUNDING_INTERVAL_MS;
  }

  /** Sets a perpetual's funding rate per interval, a decimal string (e.g. '0.0001' = 0.01%). */
  setFundingRate(symbol: string, rate: string): void {
    this.perpetualsOnly().setFundingRate(symbol, new Decimal(rate));
  }

  private perpetualsOnly(): Perpetuals {
    if (!this.perpetuals) throw new Error(`${this.options.name}: a ${this.options.dialect} venue has no perpetuals`);
    return this.perpetuals;
  }

  get endpoints(): VenueEndpoints {
    const { name, dialect, accounts } = this.options;
    return { name, dialect, restUrl: this.transport.baseUrl, wsUrl: this.transport.wsUrl, adminUrl: `${this.transport.baseUrl}/__admin`, accounts };
  }

  /** Full outage: connection refused until `recover()` (or after `durationMs`). */
  outage(durationMs?: number): Promise<void> {
    return this.transport.outage(durationMs);
  }

  recover(): Promise<void> {
    return this.transport.recover();
  }

  dropConnections(): void {
    this.transport.dropConnections();
  }

  async stop(): Promise<void> {
    clearInterval(this.fundingTimer);
    this.flow?.stop();
    this.book.stop();
    await this.transport.stop();
  }
}

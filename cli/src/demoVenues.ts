import { createHash } from 'node:crypto';
import {
  DEFAULT_MARKETS,
  SimulatedVenue,
  defaultMarket,
  isPerpetualDialect,
  type SimulatedAccount,
  type SimulatedMarket,
  type VenueDialect,
  type VenueEndpoints,
} from '@crossvenue/simulator';
import { Decimal, roundToStep } from '@crossvenue/schemas';

/** One simulated venue of a run: its wire dialect, fees, book depth, price and usual latency. */
export interface VenuePlan {
  name: string;
  dialect: VenueDialect;
  fees: { maker: string; taker: string };
  /** Multiplies the seeded book's quantities: a deeper or thinner venue. */
  depthScale: string;
  /** Where this venue's mid sits against the market's, in bps (with DemoOptions.movingPrices): venues never quote quite alike. */
  midOffsetBps: string;
  latencyMs: number;
}

/**
 * The demo's three venues: two Binance-dialect, one Bybit-dialect, each a little different. Their
 * mids are at most 3 bps apart, less than a venue's spread (4 bps), so the consolidated book is
 * not crossed at start; the flow's walk then moves them (see demoVenue).
 */
export const DEMO_VENUES: readonly VenuePlan[] = [
  { name: 'sim-binance-a', dialect: 'binance', fees: { maker: '0.001', taker: '0.001' }, depthScale: '1', midOffsetBps: '0', latencyMs: 0 },
  { name: 'sim-binance-b', dialect: 'binance', fees: { maker: '0.0008', taker: '0.001' }, depthScale: '0.5', midOffsetBps: '1.5', latencyMs: 20 },
  { name: 'sim-bybit', dialect: 'bybit', fees: { maker: '0.001', taker: '0.001' }, depthScale: '2', midOffsetBps: '-1.5', latencyMs: 10 },
];

/**
 * The demo's perpetuals venue, in Binance USD-M's dialect: the same markets as linear perpetuals
 * (BTC/USDT:USDT), USD-M's lower fees, margined in USDT. The embedded run starts it for the demo
 * funding arbitrage; its mid sits half a bp above the market's, a small premium.
 */
export const DEMO_PERPETUAL_VENUE: VenuePlan = { name: 'sim-usdm', dialect: 'binanceusdm', fees: { maker: '0.0002', taker: '0.0004' }, depthScale: '1', midOffsetBps: '0.5', latencyMs: 5 };

/** A venue in OKX v5's dialect, for `crossvenue sim`: OKX's entry spot fees, the demo's depth. */
export const DEMO_OKX_VENUE: VenuePlan = { name: 'sim-okx', dialect: 'okx', fees: { maker: '0.0008', taker: '0.001' }, depthScale: '1', midOffsetBps: '-0.5', latencyMs: 0 };

/** Every demo venue, spot and perpetual: each draws its own seed from its place here. */
export const ALL_DEMO_VENUES: readonly VenuePlan[] = [...DEMO_VENUES, DEMO_PERPETUAL_VENUE, DEMO_OKX_VENUE];

export const DEMO_SYMBOLS = ['BTC/USDT', 'ETH/USDT'];

/** What a venue of `plan` calls the demo's `symbols`: the spot symbols, or their linear perpetuals settled in the quote (BTC/USDT:USDT). */
export function venueInstruments(plan: Pick<VenuePlan, 'dialect'>, symbols: readonly string[]): string[] {
  return isPerpetualDialect(plan.dialect) ? symbols.map((symbol) => `${symbol}:${defaultMarket(symbol).rules.quoteAsset}`) : [...symbols];
}

/** How often the other participants act, so a person sees books alive. */
const FLOW_INTERVAL_MS = 250;

/**
 * The mids' random walk with the flow and movingPrices on (per flow step): the market moves about 1 bp a step, and
 * each venue drifts around it by about half that, pulled back within seconds, so which venue is
 * cheapest keeps changing. Every venue draws the market's walk from the run's seed.
 */
const WALK = { stepBps: 1, venueStepBps: 0.5 };

/**
 * With `diverging`: each venue's mid jumps 40 bps away from the others about once a minute (1 in
 * 240 steps of 250 ms) and stays there 4 s. Less the venues' spreads (4 bps), that leaves more than
 * the 20 bps a taker pays on both sides, so the demo arbitrage has a spread to take a few times a
 * minute; the rest of the time the venues are closer than the fees.
 */
const JUMPS = { bps: 40, everySteps: 240, forSteps: 16 };

/** What each demo account holds of each base asset, besides its USDT; only the bases its venue lists, so every balance has a price. */
const DEMO_BASE_BALANCES: Readonly<Record<string, string>> = { BTC: '10', ETH: '100', SOL: '1000' };

/**
 * Distance between seeded levels, in basis points of the mid. One tick (0.01 on 64,000) would make
 * walking a book nearly free, so no order would ever be worth splitting; 2 bps a level gives
 * price impact like a real mid-sized book, against which the router's fees and penalties weigh.
 */
const LEVEL_SPACING_BPS = new Decimal(2);
const BPS = new Decimal(10_000);

export interface DemoOptions {
  symbols?: string[];
  seed?: number;
  /** Background flow on or off (tests want still books). */
  flow?: boolean;
  /**
   * Prices that differ and move: each venue's mid sits at its `midOffsetBps`, and with the flow on
   * the mids follow the seeded walk (WALK). The embedded run's demo wants them; the
   * simulated-venue worker and `crossvenue sim` keep every venue at the seeded mid, still, so the
   * distributed and chaos runs meet the prices and splits their loads were sized for.
   */
  movingPrices?: boolean;
  /** With movingPrices and the flow on: venues' mids jump apart now and then by more than the fees (JUMPS), for the demo arbitrage. */
  diverging?: boolean;
  /** The first order and trade id of every venue (see SimulatedVenueOptions.firstId). */
  firstId?: number;
  /** A perpetual venue's funding interval (the simulator's default is Binance's 8 hours). */
  fundingIntervalMs?: number;
}

/**
 * The simulated account of a venue listing `symbols`. Its key and secret (and, for OKX's dialect,
 * passphrase) derive from the seed and the venue name: test credentials, stable across runs so a
 * connector configured once keeps working. It holds USDT and the base asset of each listed
 * symbol, nothing without a market.
 */
export function demoAccount(venue: string, seed: number, symbols: readonly string[] = DEMO_SYMBOLS, dialect?: VenueDialect): SimulatedAccount {
  const derive = (what: string) => createHash('sha256').update(`${seed}:${venue}:${what}`).digest('hex');
  const holdings = symbols.map((symbol) => {
    const base = defaultMarket(symbol).rules.baseAsset;
    const amount = DEMO_BASE_BALANCES[base];
    if (amount === undefined) throw new Error(`no demo balance of ${base} for ${symbol}; add it to DEMO_BASE_BALANCES`);
    return [base, amount];
  });
  return {
    name: 'demo',
    apiKey: derive('key').slice(0, 32),
    secret: derive('secret'),
    // OKX keys are created with a passphrase, and signed requests carry it.
    ...(dialect === 'okx' && { passphrase: derive('passphrase').slice(0, 16) }),
    balances: { USDT: '1000000', ...Object.fromEntries(holdings) },
  };
}

/**
 * A demo venue: its ladders 2 bps a level around the market's mid moved by its offset, scaled to
 * its depth. With `movingPrices`, its mid sits at its offset and, with the flow on, follows the
 * run's seeded walk (and, `diverging`, jumps away now and then); with the flow off, its books stay still.
 */
export function demoVenue(plan: VenuePlan, options: DemoOptions = {}): SimulatedVenue {
  const seed = options.seed ?? 1;
  const scale = new Decimal(plan.depthScale);
  const symbols = options.symbols ?? DEMO_SYMBOLS;
  const markets: SimulatedMarket[] = symbols.map((symbol) => {
    const market = defaultMarket(symbol);
    const { tickSize } = market.rules;
    const offsetBps = options.movingPrices ? plan.midOffsetBps : '0';
    const mid = roundToStep(new Decimal(market.ladder.mid).times(BPS.plus(offsetBps)).div(BPS), tickSize, 'HALF_UP');
    // The market's spacing, so every venue's levels are the same distance apart.
    const spacing = roundToStep(new Decimal(market.ladder.mid).times(LEVEL_SPACING_BPS).div(BPS), tickSize, 'UP');
    const ladder = {
      ...market.ladder,
      mid: mid.toFixed(),
      quantity: scale.times(market.ladder.quantity).toFixed(),
      quantityStep: scale.times(market.ladder.quantityStep).toFixed(),
      spacing: spacing.toFixed(),
    };
    return { ...market, ladder };
  });
  return new SimulatedVenue({
    name: plan.name,
    dialect: plan.dialect,
    markets,
    fees: plan.fees,
    // A perpetual venue's account holds only its margin, USDT: its positions are contracts, not coins.
    accounts: [demoAccount(plan.name, seed, isPerpetualDialect(plan.dialect) ? [] : symbols, plan.dialect)],
    firstId: options.firstId,
    ...(options.fundingIntervalMs !== undefined && { fundingIntervalMs: options.fundingIntervalMs }),
    seed: seed + ALL_DEMO_VENUES.findIndex((p) => p.name === plan.name) + 1,
    flowIntervalMs: options.flow === false ? 0 : FLOW_INTERVAL_MS,
    ...(options.movingPrices && { walk: { seed, ...WALK, ...(options.diverging && { jumps: JUMPS }) } }),
    ...(plan.latencyMs > 0 ? { faults: { latency: { fixedMs: plan.latencyMs, jitterMs: plan.latencyMs / 2 } } } : {}),
  });
}

export const KNOWN_SYMBOLS = DEFAULT_MARKETS.map((m) => `${m.rules.baseAsset}/${m.rules.quoteAsset}`);

export interface RunningVenues {
  venues: SimulatedVenue[];
  endpoints: VenueEndpoints[];
  stop(): Promise<void>;
}

/**
 * What a client needs to reach the running venues: each one's dialect, URLs, symbols and account
 * keys. The keys are the simulated venues' test credentials, printed on purpose (`sim --json`,
 * `worker simulated-venue`) so that connectors can be configured with them.
 */
export function describeVenues(running: RunningVenues, symbols: readonly string[] = DEMO_SYMBOLS) {
  return {
    venues: running.endpoints.map((venue) => ({
      name: venue.name,
      dialect: venue.dialect,
      restUrl: venue.restUrl,
      wsUrl: venue.wsUrl,
      adminUrl: venue.adminUrl,
      symbols: venueInstruments(venue, symbols),
      accounts: venue.accounts.map(({ name, apiKey, secret, passphrase }) => ({ name, apiKey, secret, ...(passphrase !== undefined && { passphrase }) })),
    })),
  };
}

/** Starts each planned venue, on consecutive ports from `firstPort` (0 = any free ports). */
export async function startVenues(plans: readonly VenuePlan[], options: DemoOptions = {}, firstPort = 0): Promise<RunningVenues> {
  const venues = plans.map((plan) => demoVenue(plan, options));
  const endpoints: VenueEndpoints[] = [];
  try {
    for (const [index, venue] of venues.entries()) endpoints.push(await venue.start(firstPort === 0 ? 0 : firstPort + index));
  } catch (error) {
    await Promise.all(venues.map((venue) => venue.stop()));
    throw error;
  }
  return { venues, endpoints, stop: async () => void (await Promise.all(venues.map((venue) => venue.stop()))) };
}

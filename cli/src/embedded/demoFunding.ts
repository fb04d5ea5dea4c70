import { ArbitrageWorker } from '@crossvenue/processors';
import type { SimulatedVenue } from '@crossvenue/simulator';
import type { Logger, MessageBus } from '@crossvenue/runtime';
import { DEMO_PERPETUAL_VENUE, DEMO_VENUES } from '../demoVenues.ts';

/** The demo funding arbitrage's name: its groups' strategy and its intents' prefix. */
export const DEMO_FUNDING_NAME = 'demo-funding';

/** The demo perpetuals venue settles funding every minute, so a person sees it paid. */
export const DEMO_FUNDING_INTERVAL_MS = 60_000;

/**
 * The demo's funding regimes, per one-minute interval: a rate that pays shorts about 53 % a year
 * for three minutes, then about 2.6 % for two, round and round. The rates are real-world sized
 * (per year); only the interval is short.
 */
const REGIMES = [
  { rate: '0.000001', forMs: 3 * DEMO_FUNDING_INTERVAL_MS },
  { rate: '0.00000005', forMs: 2 * DEMO_FUNDING_INTERVAL_MS },
] as const;

/**
 * Basis on BTC: long BTC/USDT on sim-binance-a against short BTC/USDT:USDT on sim-usdm while the
 * perpetual's funding pays more than 30 % a year, closed below 10 %. The round trip costs about
 * 36 bps (0.1 % a side on spot, 0.04 % on the perpetual, both spreads), which 53 % a year repays
 * in about two and a half days: `holdMs` is three. Positions of 0.05 BTC, like the demo's other clips.
 */
export const DEMO_FUNDING_SETTINGS = {
  kind: 'FUNDING',
  places: [
    { venue: DEMO_VENUES[0]!.name, instrument: 'BTC/USDT' },
    { venue: DEMO_PERPETUAL_VENUE.name, instrument: 'BTC/USDT:USDT' },
  ],
  entryApr: '0.3',
  exitApr: '0.1',
  holdMs: 3 * 24 * 3_600_000,
  minEdgeBps: '2',
  stopLossBps: '100',
  maxQuantity: '0.05',
  maxOpenNotional: '10000',
  cooldownMs: 3_000,
  // The demo venue's interval is known: no waiting to see two settlement times before the rates mean anything.
  defaultFundingIntervalMs: DEMO_FUNDING_INTERVAL_MS,
};

/** The embedded run's demo funding arbitrage: the ArbitrageWorker `crossvenue worker arbitrage` runs with kind FUNDING. */
export function demoFundingArbitrage(messages: MessageBus, portfolio: string, logger: Logger): ArbitrageWorker {
  return new ArbitrageWorker({ messages, name: DEMO_FUNDING_NAME, portfolio, settings: DEMO_FUNDING_SETTINGS, logger });
}

/**
 * Moves the perpetual venue's funding rates through REGIMES, starting with the high one, so the
 * demo funding arbitrage opens, collects funding and closes every few minutes. Stops with the run.
 */
export function cycleFundingRates(venue: SimulatedVenue, venueSymbols: readonly string[]): { stop(): Promise<void> } {
  let regime = 0;
  let timer: NodeJS.Timeout | undefined;
  const apply = () => {
    const { rate, forMs } = REGIMES[regime % REGIMES.length]!;
    for (const symbol of venueSymbols) venue.setFundingRate(symbol, rate);
    regime += 1;
    timer = setTimeout(apply, forMs);
    timer.unref();
  };
  apply();
  return { stop: async () => clearTimeout(timer) };
}

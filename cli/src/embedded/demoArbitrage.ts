import { ArbitrageWorker } from '@crossvenue/processors';
import type { Logger, MessageBus } from '@crossvenue/runtime';
import { DEMO_VENUES } from '../demoVenues.ts';

/** The demo arbitrage worker's name: its groups' strategy and its intents' prefix. */
export const DEMO_ARBITRAGE_NAME = 'demo-arbitrage';

/**
 * BTC/USDT across the three demo venues, both legs IOC at once. The venues charge 0.1 % a taker
 * side (20 bps a round trip, which the worker takes from their symbol metadata), and their mids sit
 * within a few bps of each other, so a group opens only when one venue's price has moved away from
 * the others by more than the fees, the spreads and 5 bps. Clips of at most 0.05 BTC, like the
 * demo strategy's; each venue's BTC may move 0.5 from where it started, far inside the demo
 * accounts (10 BTC, 1,000,000 USDT each) and the demo risk limits.
 */
export const DEMO_ARBITRAGE_SETTINGS = {
  instrument: 'BTC/USDT',
  venues: DEMO_VENUES.map((plan) => plan.name),
  policy: 'BOTH_IOC',
  minEdgeBps: '5',
  maxQuantity: '0.05',
  maxOpenNotional: '10000',
  maxInventory: '0.5',
  cooldownMs: 3_000,
};

/**
 * The embedded run's demo arbitrage: the same ArbitrageWorker `crossvenue worker arbitrage` runs,
 * on the demo portfolio, so a person sees groups open, fill and close on the dashboard.
 */
export function demoArbitrage(messages: MessageBus, portfolio: string, logger: Logger): ArbitrageWorker {
  return new ArbitrageWorker({ messages, name: DEMO_ARBITRAGE_NAME, portfolio, settings: DEMO_ARBITRAGE_SETTINGS, logger });
}

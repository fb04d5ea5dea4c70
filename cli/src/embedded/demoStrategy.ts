import { midReversion, StrategyRunner } from '@crossvenue/processors';
import type { Logger, MessageBus } from '@crossvenue/runtime';

/** The demo strategy's name: its intents are `demo-reversion-…` and requested by it. */
export const DEMO_STRATEGY_NAME = 'demo-reversion';

/**
 * The example strategy's settings for the moving demo books: small clips (0.05 BTC, about 3,200
 * USDT, a few top levels) so the router has something to split, a threshold the walk crosses
 * every few seconds, and a cooldown that lets each order's fills arrive before the next. Its
 * position stays within ±0.5 BTC, far inside the demo accounts and risk limits.
 */
export const DEMO_STRATEGY_SETTINGS = {
  instrument: 'BTC/USDT',
  clip: '0.05',
  thresholdBps: '1.5',
  smoothing: '0.02',
  maxPosition: '0.5',
  slippageBps: '5',
  cooldownMs: 3_000,
};

/**
 * The embedded run's demo strategy: MidReversion (processors/src/strategy) on the demo portfolio,
 * run by the same StrategyRunner a strategy worker uses, so a fresh run shows intents, splits,
 * fills, positions and PnL moving without anyone placing an order.
 */
export function demoStrategy(messages: MessageBus, portfolio: string, logger: Logger): StrategyRunner {
  return new StrategyRunner({ messages, strategy: midReversion(DEMO_STRATEGY_SETTINGS), name: DEMO_STRATEGY_NAME, portfolio, settings: DEMO_STRATEGY_SETTINGS, logger });
}

import type { ApiKeys } from '@crossvenue/gateway';
import { GatewayServer, IdempotencyKeys, LiveState, apiRoutes } from '@crossvenue/gateway';
import { ExecutionWorker, PositionsWorker, RouterWorker } from '@crossvenue/processors';
import type { Codec } from '@crossvenue/schemas';
import type { Logger, MessageBus } from '@crossvenue/runtime';
import { demoArbitrage } from './demoArbitrage.ts';
import { demoFundingArbitrage } from './demoFunding.ts';
import { demoRiskLimits } from './demoRiskLimits.ts';
import { demoStrategy } from './demoStrategy.ts';
import type { StopStack } from './StopStack.ts';
import type { VenueAccount } from './venueConnectors.ts';

export interface PipelineOptions {
  messages: MessageBus;
  /** What the execution worker encodes its transactions with. */
  codec: Codec;
  logger: Logger;
  /** The venue accounts the router routes to and the gateway reports on. */
  accounts: readonly VenueAccount[];
  /** The portfolio the demo strategy and the demo arbitrage trade. */
  portfolio: string;
  /** The gateway's port on loopback; 0 takes any free port. */
  gatewayPort: number;
  keys: ApiKeys;
  /** Whether the demo strategy runs (started last, so stopped first). */
  strategy: boolean;
  /** Whether the demo arbitrage runs (cli/src/embedded/demoArbitrage.ts: on the demo venues only); off unless given. */
  arbitrage?: boolean;
  /** Whether the demo funding arbitrage runs (cli/src/embedded/demoFunding.ts: on sim-binance-a and sim-usdm only); off unless given. */
  fundingArbitrage?: boolean;
  /** The saved backtest runs' folder the gateway serves (GET /backtests); without it those routes answer 503. */
  backtests?: string;
}

/**
 * The part of a one-process run that does not depend on where books and fills come from: the
 * router over the given accounts, risk and execution (`demoRiskLimits`), positions, the gateway
 * with its dashboard, and optionally the demo strategy, the demo arbitrage and the demo funding
 * arbitrage. The embedded run
 * puts it over simulated venues, paper trading over live books; each pushes its parts on the
 * run's StopStack in start order. Resolves with the gateway's URL.
 */
export async function startPipeline(parts: StopStack, options: PipelineOptions): Promise<string> {
  const { messages, codec, logger, accounts, portfolio } = options;
  const component = (name: string) => logger.child({ component: name });
  parts.push(await started(new RouterWorker({ messages, logger: component('router'), accounts: [...accounts] })));
  parts.push(await started(new ExecutionWorker({ messages, codec, logger: component('execution'), limits: demoRiskLimits() })));
  parts.push(await started(new PositionsWorker({ messages, logger: component('positions') })));

  const state = new LiveState({ accounts: [...accounts], logger: component('gateway') });
  await state.start(messages, 'gateway');
  parts.push(state);
  const gateway = new GatewayServer(apiRoutes({ state, messages, idempotency: new IdempotencyKeys(), now: Date.now, backtests: options.backtests }), options.keys, state, component('gateway'));
  const gatewayUrl = await gateway.start(options.gatewayPort);
  parts.push(gateway);

  if (options.strategy) parts.push(await started(demoStrategy(messages, portfolio, component('strategy'))));
  if (options.arbitrage) parts.push(await started(demoArbitrage(messages, portfolio, component('arbitrage'))));
  if (options.fundingArbitrage) parts.push(await started(demoFundingArbitrage(messages, portfolio, component('funding-arbitrage'))));
  return gatewayUrl;
}

async function started<T extends { start(): Promise<void> }>(part: T): Promise<T> {
  await part.start();
  return part;
}

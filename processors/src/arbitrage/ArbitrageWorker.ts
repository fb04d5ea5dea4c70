import { TOPICS, type Alert, type ArbitrageGroup } from '@crossvenue/schemas';
import type { Logger, MessageBus } from '@crossvenue/runtime';
import { StrategyRunner } from '../strategy/StrategyRunner.ts';
import { parseArbitrageSettings } from './ArbitrageSettings.ts';
import { ArbitrageStrategy } from './ArbitrageStrategy.ts';

export interface ArbitrageWorkerOptions {
  messages: MessageBus;
  /** Names its groups, its intents (their ids start with it) and its consumer groups: one running instance per name. */
  name: string;
  portfolio: string;
  /** Its settings as configured (parseArbitrageSettings' format); refused at construction when bad. */
  settings: Readonly<Record<string, unknown>>;
  logger: Logger;
  /** The run's clock; Date.now unless a backtest drives simulated time. */
  clock?: () => number;
}

/**
 * The arbitrage worker: ArbitrageStrategy run by a StrategyRunner (books of its instrument,
 * ref.symbols, state.balances, its own intents' status and its portfolio's fills in; its legs'
 * intents out), publishing every group's record on arb.groups when the group opens and when it
 * closes, and a CRITICAL alert on ops.alerts when one closes EXPOSED. One instance per name: its
 * open group and inventory live in its process.
 */
export class ArbitrageWorker {
  private readonly runner: StrategyRunner;

  constructor(private readonly options: ArbitrageWorkerOptions) {
    const { messages, name, portfolio, settings, logger, clock } = options;
    const strategy = new ArbitrageStrategy(parseArbitrageSettings(settings, `arbitrage ${name} settings`), (group) => this.publish(group));
    this.runner = new StrategyRunner({ messages, strategy, name, portfolio, settings, logger, ...(clock && { clock }) });
  }

  start(): Promise<void> {
    return this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  private async publish(group: ArbitrageGroup): Promise<void> {
    const { messages, name } = this.options;
    await messages.publish(TOPICS.arbitrageGroups, [group]);
    if (group.state !== 'EXPOSED') return;
    const alert: Alert = {
      eventId: `${group.groupId}:alert`,
      severity: 'CRITICAL',
      code: 'ARBITRAGE_EXPOSED',
      component: `arbitrage ${name}`,
      venue: null,
      account: null,
      subject: group.groupId,
      message: `arbitrage group ${group.groupId} on ${group.instrument} left ${group.residualQuantity} open (${group.residualSide} flattens it): ${group.reason}`,
      raisedAtMs: group.closedAtMs ?? group.openedAtMs,
    };
    await messages.publish(TOPICS.alerts, [alert]);
  }
}

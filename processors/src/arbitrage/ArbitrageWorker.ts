import { TOPICS, type Alert, type ArbitrageGroup } from '@crossvenue/schemas';
import type { Logger, MessageBus } from '@crossvenue/runtime';
import { StrategyRunner } from '../strategy/StrategyRunner.ts';
import { parseArbitrageSettings, type ArbitrageSettings } from './ArbitrageSettings.ts';
import { ArbitrageStrategy } from './ArbitrageStrategy.ts';
import { FundingArbitrage } from './FundingArbitrage.ts';
import { readOwnGroups } from './groupHistory.ts';
import { parseFundingSettings, type FundingSettings } from './FundingSettings.ts';

export interface ArbitrageWorkerOptions {
  messages: MessageBus;
  /** Names its groups, its intents (their ids start with it) and its consumer groups: one running instance per name. */
  name: string;
  portfolio: string;
  /** Its settings as configured: `kind: FUNDING` for parseFundingSettings' format, else parseArbitrageSettings'; refused at construction when bad. */
  settings: Readonly<Record<string, unknown>>;
  logger: Logger;
  /** The run's clock; Date.now unless a backtest drives simulated time. */
  clock?: () => number;
}

/**
 * The arbitrage worker: ArbitrageStrategy (spot spreads) or, with `kind: FUNDING`,
 * FundingArbitrage (basis and funding spreads), run by a StrategyRunner (books of its
 * instruments, ref.symbols, state.balances, funding rates and payments for a funding arbitrage,
 * its own intents' status and its portfolio's fills in; its legs' intents out), publishing every
 * group's record on arb.groups when the group opens and when it closes, and a CRITICAL alert on
 * ops.alerts when one closes EXPOSED. One instance per name: its open group, inventory and
 * funding position live in its process, and at start it rebuilds the inventory and the position
 * from its own records on arb.groups.
 */
export class ArbitrageWorker {
  private readonly strategy: ArbitrageStrategy | FundingArbitrage;
  private readonly runner: StrategyRunner;

  constructor(private readonly options: ArbitrageWorkerOptions) {
    const { messages, name, portfolio, settings, logger, clock } = options;
    this.strategy = arbitrageStrategy(settings, `arbitrage ${name} settings`, (group) => this.publish(group));
    this.runner = new StrategyRunner({ messages, strategy: this.strategy, name, portfolio, settings, logger, ...(clock && { clock }) });
  }

  /** Restores what its own groups left (their records on arb.groups, read whole), then runs the strategy. */
  async start(): Promise<void> {
    const { messages, name, logger } = this.options;
    this.strategy.restore(await readOwnGroups(messages, name), logger);
    await this.runner.start();
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

/** An arbitrage worker's settings, checked under their `kind`: FUNDING, or SPOT_SPREAD (the default). */
export type ArbitrageWorkerSettings = { kind: 'SPOT_SPREAD'; settings: ArbitrageSettings } | { kind: 'FUNDING'; settings: FundingSettings };

/** Reads an arbitrage worker's settings under their `kind`, refusing bad ones with one line naming the key. */
export function parseArbitrageWorkerSettings(settings: Readonly<Record<string, unknown>>, where: string): ArbitrageWorkerSettings {
  return settings.kind === 'FUNDING' ? { kind: 'FUNDING', settings: parseFundingSettings(settings, where) } : { kind: 'SPOT_SPREAD', settings: parseArbitrageSettings(settings, where) };
}

function arbitrageStrategy(settings: Readonly<Record<string, unknown>>, where: string, publish: (group: ArbitrageGroup) => Promise<void>): ArbitrageStrategy | FundingArbitrage {
  const parsed = parseArbitrageWorkerSettings(settings, where);
  return parsed.kind === 'FUNDING' ? new FundingArbitrage(parsed.settings, publish) : new ArbitrageStrategy(parsed.settings, publish);
}

import { type ArbitrageGroup, type ArbitrageGroupState } from '@crossvenue/schemas';
import { RecentMap } from './RecentMap.ts';

/** The last 500 arbitrage groups opened or closed: a day of a busy worker's closes is in the audit log (`report arb-pnl`). */
const RECENT_GROUPS = 500;

/**
 * The arbitrage groups as the gateway shows them: the latest record of each recent group (its
 * close replaces its open), most recently changed first. A reporting view; the arbitrage worker
 * never reads it.
 */
export class ArbitrageLog {
  private readonly groups = new RecentMap<string, ArbitrageGroup>(RECENT_GROUPS);

  apply(group: ArbitrageGroup): void {
    this.groups.set(group.groupId, group);
  }

  recent(limit: number, filter: { strategy?: string; state?: ArbitrageGroupState } = {}): ArbitrageGroup[] {
    return this.groups
      .newestFirst()
      .filter((group) => (filter.strategy === undefined || group.strategy === filter.strategy) && (filter.state === undefined || group.state === filter.state))
      .slice(0, limit);
  }
}

import { Decimal, type ArbitrageGroup, type ArbitrageGroupState, type SymbolMetadata } from '@crossvenue/schemas';
import { RecentMap } from './RecentMap.ts';

/** The last 500 arbitrage groups opened or closed: a day of a busy worker's closes is in the audit log (`report arb-pnl`). */
const RECENT_GROUPS = 500;

/** Decimal places of an instrument's finest price tick and quantity step among its venues (null: no venue gave one): what a person is shown. */
export interface Precision {
  price: number | null;
  quantity: number | null;
}

/**
 * The arbitrage groups as the gateway shows them: the latest record of each recent group (its
 * close replaces its open), most recently changed first, and each instrument's display precision
 * from the symbol metadata. A reporting view; the arbitrage worker never reads it.
 */
export class ArbitrageLog {
  private readonly groups = new RecentMap<string, ArbitrageGroup>(RECENT_GROUPS);
  private readonly precisions = new Map<string, Precision>();

  apply(group: ArbitrageGroup): void {
    this.groups.set(group.groupId, group);
  }

  applyMarket({ instrument, priceTick, quantityStep }: SymbolMetadata): void {
    const known = this.precisions.get(instrument);
    const finer = (step: string | null, before: number | null = null) => (step === null ? before : Math.max(new Decimal(step).decimalPlaces(), before ?? 0));
    this.precisions.set(instrument, { price: finer(priceTick, known?.price), quantity: finer(quantityStep, known?.quantity) });
  }

  recent(limit: number, filter: { strategy?: string; state?: ArbitrageGroupState } = {}): ArbitrageGroup[] {
    return this.groups
      .newestFirst()
      .filter((group) => (filter.strategy === undefined || group.strategy === filter.strategy) && (filter.state === undefined || group.state === filter.state))
      .slice(0, limit);
  }

  /** The precision of each instrument among `groups` whose metadata the gateway has seen. */
  precision(groups: readonly ArbitrageGroup[]): Record<string, Precision> {
    return Object.fromEntries(groups.flatMap(({ instrument }) => {
      const precision = this.precisions.get(instrument);
      return precision ? [[instrument, precision]] : [];
    }));
  }
}

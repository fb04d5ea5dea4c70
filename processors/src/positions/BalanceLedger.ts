import type { BalanceSnapshot } from '@crossvenue/schemas';

/**
 * The latest balances of each account (portfolio|venue|account). A complete snapshot (REST) replaces
 * what is known; an update of changed assets only (Binance outboundAccountPosition) is merged into
 * it by asset. A snapshot older by venue time than the one applied, or one already applied, changes
 * nothing: the venue's latest word wins, whatever order or how often the records reached us.
 */
export class BalanceLedger {
  private readonly latest = new Map<string, BalanceSnapshot>();

  /** Applies a snapshot; returns the key of the account it belongs to. */
  apply(snapshot: BalanceSnapshot): string {
    const key = `${snapshot.portfolio}|${snapshot.venue}|${snapshot.account}`;
    const known = this.latest.get(key);
    const stale = known?.venueTimeMs != null && snapshot.venueTimeMs != null && snapshot.venueTimeMs < known.venueTimeMs;
    if (stale || known?.eventId === snapshot.eventId) return key;
    this.latest.set(key, snapshot.complete || !known ? snapshot : merged(known, snapshot));
    return key;
  }

  balances(key: string): BalanceSnapshot | undefined {
    return this.latest.get(key);
  }
}

function merged(known: BalanceSnapshot, update: BalanceSnapshot): BalanceSnapshot {
  const changed = new Set(update.balances.map((balance) => balance.asset));
  return {
    ...update,
    complete: known.complete,
    balances: [...known.balances.filter((balance) => !changed.has(balance.asset)), ...update.balances].sort((a, b) => (a.asset < b.asset ? -1 : 1)),
  };
}

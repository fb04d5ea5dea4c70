import { Decimal, formatDecimal, type Balance, type BalanceSnapshot, type FundingRate, type SymbolMetadata } from '@crossvenue/schemas';

/**
 * The reference state a strategy reads beside its books: each market's rules and fees
 * (ref.symbols, latest per venue and instrument), its portfolio's balances (state.balances,
 * latest per venue and account; the positions worker has already merged partial updates into
 * whole snapshots) and perpetuals' funding rates (md.funding-rates, latest per venue and
 * instrument). The first two topics are compacted, so reading them whole at start gives the
 * current state at once; funding rates are history, whose last record is the current one.
 */
export class ReferenceState {
  private readonly markets = new Map<string, SymbolMetadata>();
  /** venue → account → the account's latest balances. */
  private readonly accounts = new Map<string, Map<string, BalanceSnapshot>>();
  private readonly fundingRates = new Map<string, FundingRate>();
  /** Time between two settlement times seen, per venue and instrument: for venues whose rate does not say its interval (Binance's premium index). */
  private readonly observedIntervals = new Map<string, number>();

  constructor(private readonly portfolio: string) {}

  applyMarket(market: SymbolMetadata): void {
    this.markets.set(`${market.venue}|${market.instrument}`, market);
  }

  applyBalances(snapshot: BalanceSnapshot): void {
    if (snapshot.portfolio !== this.portfolio) return;
    const byAccount = this.accounts.get(snapshot.venue) ?? new Map<string, BalanceSnapshot>();
    byAccount.set(snapshot.account, snapshot);
    this.accounts.set(snapshot.venue, byAccount);
  }

  applyFundingRate(rate: FundingRate): void {
    const key = `${rate.venue}|${rate.instrument}`;
    const before = this.fundingRates.get(key);
    if (before && rate.nextFundingTimeMs > before.nextFundingTimeMs) this.observedIntervals.set(key, rate.nextFundingTimeMs - before.nextFundingTimeMs);
    if (!before || rate.receivedAtMs >= before.receivedAtMs) this.fundingRates.set(key, rate);
  }

  /** The latest funding rate, its interval filled in from the settlement times seen where the venue gives none. */
  fundingRate(venue: string, instrument: string): FundingRate | undefined {
    const key = `${venue}|${instrument}`;
    const rate = this.fundingRates.get(key);
    if (!rate || rate.fundingIntervalMs !== null) return rate;
    return { ...rate, fundingIntervalMs: this.observedIntervals.get(key) ?? null };
  }

  market(venue: string, instrument: string): SymbolMetadata | undefined {
    return this.markets.get(`${venue}|${instrument}`);
  }

  /** The portfolio's holdings on `venue`, summed over its accounts there. */
  balances(venue: string): ReadonlyMap<string, Balance> {
    const sums = new Map<string, { free: Decimal; locked: Decimal; total: Decimal }>();
    for (const snapshot of this.accounts.get(venue)?.values() ?? []) {
      for (const { asset, free, locked, total } of snapshot.balances) {
        const sum = sums.get(asset) ?? { free: new Decimal(0), locked: new Decimal(0), total: new Decimal(0) };
        sums.set(asset, { free: sum.free.plus(free), locked: sum.locked.plus(locked), total: sum.total.plus(total) });
      }
    }
    return new Map([...sums].map(([asset, sum]) => [asset, { asset, free: formatDecimal(sum.free), locked: formatDecimal(sum.locked), total: formatDecimal(sum.total) }]));
  }
}

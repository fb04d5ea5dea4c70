import {
  compareDecimalStrings,
  Decimal,
  InvalidInputError,
  parseDecimal,
  parseSymbolMetadata,
  type BalanceSnapshot,
  type BookSnapshot,
  type Market,
  type PriceLevel,
  type RouteDecision,
  type Side,
  type SymbolMetadata,
  type VenueHealth,
  type VenueState,
} from '@crossvenue/schemas';
import { unroutableContract } from './contractSize.ts';
import { DEFAULT_FEES } from './costModel.ts';
import { OwnTakes } from './OwnTakes.ts';
import { viewKey } from './viewKey.ts';
import type { BookLevel, VenueCandidate, VenueCondition } from './RouteRequest.ts';

/**
 * A venue's latest book, its levels as published until a route first needs them as decimals: most
 * books are replaced before any intent reads them (the router parsing every level of every book
 * was a tenth of a backtest's time in its profile).
 */
class HeldBook {
  private parsed: { bids: BookLevel[]; asks: BookLevel[] } | undefined;

  constructor(private readonly book: BookSnapshot) {}

  get receivedAtMs(): number {
    return this.book.receivedAtMs;
  }

  levels(): { bids: BookLevel[]; asks: BookLevel[] } {
    if (this.parsed) return this.parsed;
    const where = `book ${this.book.venue} ${this.book.instrument} ${this.book.eventId}`;
    const parse = (side: 'bids' | 'asks') =>
      this.book[side].map((level, i) => ({ price: parseDecimal(level.price, `${where} ${side}[${i}] price`), quantity: parseDecimal(level.quantity, `${where} ${side}[${i}] quantity`) }));
    this.parsed = { bids: parse('bids'), asks: parse('asks') };
    return this.parsed;
  }
}

/** Whether each level is strictly worse than the one before: bids falling, asks rising. */
function bestFirst(levels: readonly PriceLevel[], worse: -1 | 1): boolean {
  for (let i = 1; i < levels.length; i++) if (compareDecimalStrings(levels[i]!.price, levels[i - 1]!.price) !== worse) return false;
  return true;
}

const SEVERITY: Record<VenueState, number> = { HEALTHY: 0, DEGRADED: 1, DOWN: 2 };
const ZERO = new Decimal(0);

/**
 * The router's view of the market, folded from messages: the latest book per venue and instrument,
 * the latest health per venue and per account, each market's rules and fees, and each account's
 * free balances. `candidates` turns it into what routeOrder takes.
 *
 * Choices: a venue without symbol metadata for the instrument is not offered (its lot, tick and
 * minimums are unknown, and guessing them risks rejects); a venue with no health message yet
 * counts as HEALTHY, with the age of its book as staleness; an account with no balance snapshot
 * has no known limit (available null), as pre-trade risk checks balances anyway. Fees missing
 * from the metadata (they depend on the account tier) default to DEFAULT_FEES. The liquidity the
 * router's own legs took is left out of a book that cannot show it yet (OwnTakes). Quantities are in
 * the base asset, a linear contract's too (its connector converts); an inverse contract is offered
 * excluded, with the reason (unroutableContract).
 */
export class MarketView {
  private readonly books = new Map<string, HeldBook>();
  private readonly health = new Map<string, VenueHealth>();
  private readonly markets = new Map<string, Market>();
  private readonly balances = new Map<string, Map<string, Decimal>>();
  private readonly accounts = new Map<string, Set<string>>();
  private readonly ownTakes: OwnTakes;

  /**
   * `accounts`: to offer on a venue even before their first balance snapshot. `ownTakeSettleMs`:
   * how long a book can predate what our legs took (OwnTakes; OWN_TAKE_SETTLE_MS unless given).
   */
  constructor(accounts: readonly { venue: string; account: string }[] = [], ownTakeSettleMs?: number) {
    this.ownTakes = new OwnTakes(ownTakeSettleMs);
    for (const { venue, account } of accounts) this.addAccount(venue, account);
  }

  /** Keeps the venue's latest book; one whose levels are not best first and distinct is refused (its decimals the codec's contract has checked). */
  applyBook(book: BookSnapshot): void {
    if (!bestFirst(book.bids, -1) || !bestFirst(book.asks, 1)) throw new InvalidInputError(`book ${book.venue} ${book.instrument} ${book.eventId}: levels must be best first and distinct`);
    this.books.set(viewKey(book.venue, book.instrument), new HeldBook(book));
    this.ownTakes.bookReceived(book.venue, book.instrument, book.receivedAtMs);
  }

  /** A decision this router made: its legs' liquidity is gone from the books until they can show it (OwnTakes). */
  applyDecision(decision: RouteDecision): void {
    this.ownTakes.record(decision);
  }

  applyHealth(health: VenueHealth): void {
    this.health.set(viewKey(health.venue, health.account ?? ''), health);
  }

  applyMarket(metadata: SymbolMetadata): void {
    this.markets.set(viewKey(metadata.venue, metadata.instrument), parseSymbolMetadata(metadata));
  }

  /** A complete snapshot replaces the account's balances; an update changes only the assets it lists. */
  applyBalances(snapshot: BalanceSnapshot): void {
    const id = viewKey(snapshot.venue, snapshot.account);
    const free = snapshot.complete ? new Map<string, Decimal>() : new Map(this.balances.get(id));
    snapshot.balances.forEach((balance, i) => free.set(balance.asset, parseDecimal(balance.free, `balances ${id} ${snapshot.eventId} [${i}] free`)));
    this.balances.set(id, free);
    this.addAccount(snapshot.venue, snapshot.account);
  }

  candidates(instrument: string, side: Side, nowMs: number): VenueCandidate[] {
    const candidates: VenueCandidate[] = [];
    for (const [venue, accounts] of this.accounts) {
      const book = this.books.get(viewKey(venue, instrument));
      const market = this.markets.get(viewKey(venue, instrument));
      if (!book || !market) continue;
      for (const account of accounts) {
        const spent = side === 'BUY' ? market.quote : market.base;
        const balances = this.balances.get(viewKey(venue, account));
        candidates.push({
          venue,
          account,
          ...this.ownTakes.levelsWithout(venue, instrument, book.levels()),
          rules: market,
          takerFee: market.takerFee ?? DEFAULT_FEES.taker,
          makerFee: market.makerFee ?? DEFAULT_FEES.maker,
          available: balances ? (balances.get(spent) ?? ZERO) : null,
          condition: this.condition(venue, account, nowMs - book.receivedAtMs),
          ...excluded(unroutableContract(market)),
        });
      }
    }
    return candidates;
  }

  /** The worse of the venue's public health and the account's, with the book's own age as a floor on staleness. */
  private condition(venue: string, account: string, bookAgeMs: number): VenueCondition {
    const reports = [this.health.get(viewKey(venue, '')), this.health.get(viewKey(venue, account))].filter((report) => report !== undefined);
    const worst = reports.reduce<VenueHealth | undefined>((a, b) => (a === undefined || SEVERITY[b.state] > SEVERITY[a.state] ? b : a), undefined);
    const latest = reports.at(-1);
    return {
      state: worst?.state ?? 'HEALTHY',
      reason: worst?.reason ?? '',
      latencyP50Ms: latest?.latencyP50Ms ?? null,
      bookStalenessMs: Math.max(bookAgeMs, ...reports.map((report) => report.bookStalenessMs ?? 0)),
      errorRate: Decimal.max(ZERO, ...reports.map((report) => parseDecimal(report.errorRate, `health ${venue} errorRate`))),
      rejectRate: Decimal.max(ZERO, ...reports.map((report) => parseDecimal(report.rejectRate, `health ${venue} rejectRate`))),
    };
  }

  private addAccount(venue: string, account: string): void {
    const accounts = this.accounts.get(venue) ?? new Set<string>();
    this.accounts.set(venue, accounts.add(account));
  }
}

const excluded = (reason: string | null) => (reason === null ? {} : { excludedBecause: reason });

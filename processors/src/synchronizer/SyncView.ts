import {
  Decimal,
  midPrice,
  parseSymbolMetadata,
  type Balance,
  type BalanceSnapshot,
  type BookSnapshot,
  type Market,
  type Position,
  type SymbolMetadata,
} from '@crossvenue/schemas';
import { accountEquity, type Equity } from './sizing.ts';

const ZERO = new Decimal(0);

/**
 * What the synchronizer reads of the market and the accounts, latest value of each: venue rules
 * (ref.symbols), mids (book snapshots), positions (the positions worker's state.positions) and
 * balances (state.balances). Quantities of positions are in the venue's order unit; `positionOf`
 * answers in the base asset.
 */
export class SyncView {
  private readonly markets = new Map<string, Market>();
  private readonly mids = new Map<string, Decimal>();
  /** venue|account|instrument → portfolio → position: an account's position may be spread over portfolios. */
  private readonly positions = new Map<string, Map<string, Position>>();
  /** venue|account → asset → balance. */
  private readonly balances = new Map<string, Map<string, Balance>>();

  applyMarket(message: SymbolMetadata): void {
    this.markets.set(`${message.venue}|${message.instrument}`, parseSymbolMetadata(message));
  }

  applyBook(book: BookSnapshot): void {
    const mid = midPrice(book);
    if (mid !== null) this.mids.set(`${book.venue}|${book.instrument}`, mid);
  }

  applyPosition(position: Position): void {
    const key = `${position.venue}|${position.account}|${position.instrument}`;
    const byPortfolio = this.positions.get(key) ?? new Map<string, Position>();
    byPortfolio.set(position.portfolio, position);
    this.positions.set(key, byPortfolio);
  }

  applyBalances(snapshot: BalanceSnapshot): void {
    const key = `${snapshot.venue}|${snapshot.account}`;
    const assets = snapshot.complete ? new Map<string, Balance>() : (this.balances.get(key) ?? new Map<string, Balance>());
    for (const balance of snapshot.balances) assets.set(balance.asset, balance);
    this.balances.set(key, assets);
  }

  market(venue: string, instrument: string): Market | undefined {
    return this.markets.get(`${venue}|${instrument}`);
  }

  /** The mid of the instrument on `venue`, or on any venue when that one has no book. */
  mid(venue: string, instrument: string): Decimal | null {
    const own = this.mids.get(`${venue}|${instrument}`);
    if (own) return own;
    for (const [key, mid] of this.mids) if (key.endsWith(`|${instrument}`)) return mid;
    return null;
  }

  /** The account's position in the base asset (a linear contract's too: its connector converts), 0 when it has none. */
  positionOf(venue: string, account: string, instrument: string): Decimal {
    const byPortfolio = this.positions.get(`${venue}|${account}|${instrument}`);
    if (!byPortfolio) return ZERO;
    let quantity = ZERO;
    for (const position of byPortfolio.values()) quantity = quantity.plus(position.quantity);
    return quantity;
  }

  /** The last position record of the account, to tell whether it already counts a fill. */
  positionRecords(venue: string, account: string, instrument: string): Position[] {
    return [...(this.positions.get(`${venue}|${account}|${instrument}`)?.values() ?? [])];
  }

  /** The instruments the account holds a position record in. */
  instrumentsOf(venue: string, account: string): string[] {
    const prefix = `${venue}|${account}|`;
    return [...this.positions.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
  }

  /**
   * What a spot order of `side` can trade on the account, in the base asset, by its latest
   * balances: the free base asset to sell, the free quote currency at `price` to buy. Null for a
   * derivative (margin is the venue's to judge) or when the balances are not known.
   */
  available(venue: string, account: string, instrument: string, side: 'BUY' | 'SELL', price: Decimal | null): Decimal | null {
    const market = this.market(venue, instrument);
    const assets = this.balances.get(`${venue}|${account}`);
    if (!market || market.assetType !== 'SPOT' || !assets) return null;
    if (side === 'SELL') return new Decimal(assets.get(market.base)?.free ?? '0');
    if (price === null || !price.gt(0)) return null;
    return new Decimal(assets.get(market.quote)?.free ?? '0').div(price);
  }

  /** The account's equity in `currency`, its balances valued at the mids (its own venue's first). */
  equity(venue: string, account: string, currency: string): Equity {
    const assets = this.balances.get(`${venue}|${account}`);
    if (!assets) return { unknown: `no balances of ${venue}/${account} yet` };
    return accountEquity([...assets.values()], currency, (asset) => this.mid(venue, `${asset}/${currency}`));
  }
}

import type { Decimal } from '@crossvenue/schemas';
import type { BookLevelChange, EngineEvent, Execution, Order, Side, Trade } from './types.ts';

/**
 * What one engine operation changed, collected while it runs and delivered at its end in order:
 * order and trade events as they happen, then one book event per touched symbol (with its next
 * update id, as venues number their diffs) and one balance event per touched account.
 */
export class EngineEvents {
  private readonly listeners: Array<(events: EngineEvent[]) => void> = [];
  private readonly updateIds = new Map<string, number>();
  private pending: EngineEvent[] = [];
  /**
   * Per symbol, by the level's integer price (negated for asks), so noting a level builds no key
   * string. These maps and sets live as long as the engine and are emptied by each flush; the
   * arrays keep the order in which this operation first touched each symbol and account.
   */
  private readonly bookChanges = new Map<string, Map<number, BookLevelChange>>();
  private readonly changedSymbols: string[] = [];
  private readonly touched = new Map<string, Set<string>>();
  private readonly touchedAccounts: string[] = [];

  constructor(symbols: readonly string[], firstUpdateId: number) {
    for (const symbol of symbols) this.updateIds.set(symbol, firstUpdateId);
  }

  onEvents(listener: (events: EngineEvent[]) => void): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  /** The id of the symbol's latest book change. */
  updateId(symbol: string): number {
    return this.updateIds.get(symbol)!;
  }

  order(order: Order, execution: 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'REPLACED', fill?: Execution): void {
    this.pending.push({ kind: 'order', order: { ...order }, execution, ...(fill ? { fill } : {}) });
  }

  trade(trade: Trade): void {
    this.pending.push({ kind: 'trade', trade });
  }

  /** A price level's new total (`ticks` is its price in the market's integer units); the last one noted in an operation wins. */
  level(symbol: string, side: Side, ticks: number, price: Decimal, quantity: Decimal): void {
    let changes = this.bookChanges.get(symbol);
    if (!changes) this.bookChanges.set(symbol, (changes = new Map()));
    if (changes.size === 0) this.changedSymbols.push(symbol);
    const key = side === 'BUY' ? ticks : -ticks;
    const noted = changes.get(key);
    if (noted) noted.quantity = quantity;
    else changes.set(key, { side, price, quantity });
  }

  balances(account: string, assets: readonly string[]): void {
    let set = this.touched.get(account);
    if (!set) this.touched.set(account, (set = new Set()));
    // An operation touches an account or two; an account touched with no asset still gets its (empty) event.
    if (set.size === 0 && !this.touchedAccounts.includes(account)) this.touchedAccounts.push(account);
    for (const asset of assets) set.add(asset);
  }

  /** Ends the operation: book and balance events are added, and everything goes to the listeners. */
  flush(time: number): void {
    for (const symbol of this.changedSymbols) {
      const changes = this.bookChanges.get(symbol)!;
      const updateId = this.updateIds.get(symbol)! + 1;
      this.updateIds.set(symbol, updateId);
      this.pending.push({ kind: 'book', symbol, updateId, changes: [...changes.values()], time });
      changes.clear();
    }
    for (const account of this.touchedAccounts) {
      const assets = this.touched.get(account)!;
      this.pending.push({ kind: 'balance', account, assets: [...assets], time });
      assets.clear();
    }
    this.changedSymbols.length = 0;
    this.touchedAccounts.length = 0;
    const events = this.pending;
    this.pending = [];
    if (events.length > 0) for (const listener of this.listeners) listener(events);
  }
}

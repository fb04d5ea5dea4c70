/**
 * How stale the subscribed books are: the time since the last book message of the stalest symbol
 * (a venue is only as fresh as its worst book). Counted from the start until a first message.
 */
export class BookFreshness {
  private readonly lastMessageAtMs = new Map<string, number>();

  constructor(
    symbols: readonly string[],
    private readonly now: () => number,
  ) {
    const startedAtMs = now();
    for (const symbol of symbols) this.lastMessageAtMs.set(symbol, startedAtMs);
  }

  received(symbol: string): void {
    this.lastMessageAtMs.set(symbol, this.now());
  }

  /** Null when no book is subscribed. */
  stalenessMs(): number | null {
    if (this.lastMessageAtMs.size === 0) return null;
    return this.now() - Math.min(...this.lastMessageAtMs.values());
  }
}

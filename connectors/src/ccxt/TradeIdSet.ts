/**
 * The venue trade ids already published, so a trade seen on the stream, twice on the stream
 * (duplicated message), and again in a REST catch-up or snapshot is published once.
 *
 * Bounds: the newest `capacity` ids are kept (insertion order, oldest evicted first). It is
 * durable enough because catch-up only looks back to the last seen trade, so a re-seen id is
 * always recent; across a restart the set is empty and the positions processor's own exactly-once
 * on (venue, account, venueTradeId) is the backstop.
 */
export class TradeIdSet {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 100_000) {}

  /** True the first time an id is offered, false every time after. */
  add(tradeId: string): boolean {
    if (this.ids.has(tradeId)) return false;
    this.ids.add(tradeId);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
    return true;
  }

  /** Offered again later as the first time: its publication failed. */
  forget(tradeId: string): void {
    this.ids.delete(tradeId);
  }

  get size(): number {
    return this.ids.size;
  }
}

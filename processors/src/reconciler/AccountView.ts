import { Decimal, isTerminalOrderState, type Balance, type Fill, type OrderEvent } from '@crossvenue/schemas';


/** A fill's effect on spot balances: what the account gained and paid, per asset. */
function balanceEffects(fill: Fill): Array<[asset: string, change: Decimal]> {
  const [base = '', rest = ''] = fill.instrument.split('/');
  const quote = rest.split(':')[0]!;
  const quantity = new Decimal(fill.quantity);
  const notional = quantity.times(fill.price);
  const buy = fill.side === 'BUY';
  return [
    [base, buy ? quantity : quantity.negated()],
    [quote, buy ? notional.negated() : notional],
    [fill.feeCurrency, new Decimal(fill.fee).negated()],
  ];
}

/**
 * What we believe about one venue account, folded in partition order from its order events and
 * fills: the orders we think are open, every fill applied, net positions from fills, and balances
 * expected from the last venue snapshot plus the fills since.
 */
export class AccountView {
  /** Latest event per client order id. */
  readonly orders = new Map<string, OrderEvent>();
  /** Our client order id of each venue order id the events named (a venue's trade list may give only its own). */
  private readonly clientOrderIds = new Map<string, string>();
  readonly fillIds = new Set<string>();
  /** Sum of fill quantities per client order id. */
  readonly filledByOrder = new Map<string, Decimal>();
  /** Net signed quantity per instrument, from every fill. */
  readonly netQuantity = new Map<string, Decimal>();
  /** The balances of the last venue snapshot, and its venue time; undefined before the first. */
  private anchor: { balances: Map<string, Decimal>; atMs: number } | undefined;
  /** Fills after the anchor, for the balance expectation. */
  private fillsSinceAnchor: Fill[] = [];

  applyOrderEvent(event: OrderEvent): void {
    this.orders.set(event.clientOrderId, event);
    if (event.venueOrderId !== null) this.clientOrderIds.set(event.venueOrderId, event.clientOrderId);
  }

  /** Our client order id of a venue order, when an event of ours named it. */
  clientOrderIdOf(venueOrderId: string): string | undefined {
    return this.clientOrderIds.get(venueOrderId);
  }

  /** False for a fill seen before (same venue trade id): it changes nothing. */
  applyFill(fill: Fill): boolean {
    if (this.fillIds.has(fill.venueTradeId)) return false;
    this.fillIds.add(fill.venueTradeId);
    const quantity = new Decimal(fill.quantity);
    this.filledByOrder.set(fill.clientOrderId, (this.filledByOrder.get(fill.clientOrderId) ?? new Decimal(0)).plus(quantity));
    const signed = fill.side === 'BUY' ? quantity : quantity.negated();
    this.netQuantity.set(fill.instrument, (this.netQuantity.get(fill.instrument) ?? new Decimal(0)).plus(signed));
    if (this.anchor && fill.venueTimeMs > this.anchor.atMs) this.fillsSinceAnchor.push(fill);
    return true;
  }

  openOrders(): OrderEvent[] {
    return [...this.orders.values()].filter((order) => !isTerminalOrderState(order.state));
  }

  /** Balances the last snapshot plus later fills predict for `atMs`; undefined before a first snapshot. */
  expectedBalances(atMs: number): Map<string, Decimal> | undefined {
    if (!this.anchor) return undefined;
    const expected = new Map(this.anchor.balances);
    for (const fill of this.fillsSinceAnchor) {
      if (fill.venueTimeMs > atMs) continue;
      for (const [asset, change] of balanceEffects(fill)) expected.set(asset, (expected.get(asset) ?? new Decimal(0)).plus(change));
    }
    return expected;
  }

  /** The venue's balances become the new anchor: the venue wins. */
  anchorBalances(balances: readonly Balance[], atMs: number): void {
    this.anchor = { balances: new Map(balances.map((balance) => [balance.asset, new Decimal(balance.total)])), atMs };
    this.fillsSinceAnchor = this.fillsSinceAnchor.filter((fill) => fill.venueTimeMs > atMs);
  }
}

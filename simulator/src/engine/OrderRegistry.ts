import type { Execution, Order } from './types.ts';

/** Which order: by the venue's id or by the client's. */
export interface OrderRef {
  orderId?: number;
  clientOrderId?: string;
}

/**
 * Every order the engine ever accepted, by id, and the open ones by (account, client order id):
 * a client order id is unique only among an account's open orders (Binance's rule), so a finished
 * id may be reused and a lookup by it finds the open order first, else the latest one. Also each
 * account's executions, for its trade history.
 */
export class OrderRegistry {
  /** In id order. The engine numbers the orders it accepts consecutively, so an id is an index from the first one. */
  private readonly orders: Order[] = [];
  /** By account, then client order id: two lookups, and no key string built per order. */
  private readonly openByClientId = new Map<string, Map<string, Order>>();
  private readonly executions = new Map<string, Execution[]>();

  add(order: Order): void {
    this.orders.push(order);
  }

  /** The order resting in a book: its client order id is taken until it is closed. */
  opened(order: Order): void {
    let open = this.openByClientId.get(order.account);
    if (!open) this.openByClientId.set(order.account, (open = new Map()));
    open.set(order.clientOrderId, order);
  }

  closed(order: Order): void {
    this.openByClientId.get(order.account)?.delete(order.clientOrderId);
  }

  isOpen(account: string, clientOrderId: string): boolean {
    return this.openByClientId.get(account)?.has(clientOrderId) ?? false;
  }

  /** The live order, open or not; by id, or by client id among this account's orders. */
  find(account: string, ref: OrderRef): Order | undefined {
    if (ref.orderId !== undefined) return this.byId(ref.orderId);
    if (ref.clientOrderId === undefined) return undefined;
    const resting = this.openByClientId.get(account)?.get(ref.clientOrderId);
    if (resting) return resting;
    let latest: Order | undefined;
    for (const order of this.orders) if (order.account === account && order.clientOrderId === ref.clientOrderId) latest = order;
    return latest;
  }

  /** Copies of this account's open orders, oldest first. */
  openOrders(account: string, symbol?: string): Order[] {
    return [...(this.openByClientId.get(account)?.values() ?? [])]
      .filter((order) => symbol === undefined || order.symbol === symbol)
      .sort((a, b) => a.orderId - b.orderId)
      .map((order) => ({ ...order }));
  }

  /** Copies of every order of this account, open or finished, oldest first (a venue's full order history). */
  allOrders(account: string, symbol?: string): Order[] {
    return this.orders.filter((o) => o.account === account && (symbol === undefined || o.symbol === symbol)).map((order) => ({ ...order }));
  }

  /** Copies of this account's finished orders, oldest first. */
  closedOrders(account: string, symbol?: string): Order[] {
    return this.orders
      .filter((o) => o.account === account && (symbol === undefined || o.symbol === symbol) && o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED')
      .map((order) => ({ ...order }));
  }

  private byId(orderId: number): Order | undefined {
    const first = this.orders[0];
    return first && this.orders[orderId - first.orderId];
  }

  recordExecution(execution: Execution): void {
    let list = this.executions.get(execution.account);
    if (!list) this.executions.set(execution.account, (list = []));
    list.push(execution);
  }

  executionsOf(account: string, symbol: string): Execution[] {
    return (this.executions.get(account) ?? []).filter((execution) => execution.trade.symbol === symbol);
  }
}

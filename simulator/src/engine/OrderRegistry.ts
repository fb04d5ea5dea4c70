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
  private readonly orders = new Map<number, Order>();
  private readonly openByClientId = new Map<string, Order>();
  private readonly executions = new Map<string, Execution[]>();

  add(order: Order): void {
    this.orders.set(order.orderId, order);
  }

  /** The order resting in a book: its client order id is taken until it is closed. */
  opened(order: Order): void {
    this.openByClientId.set(clientKey(order.account, order.clientOrderId), order);
  }

  closed(order: Order): void {
    this.openByClientId.delete(clientKey(order.account, order.clientOrderId));
  }

  isOpen(account: string, clientOrderId: string): boolean {
    return this.openByClientId.has(clientKey(account, clientOrderId));
  }

  /** The live order, open or not; by id, or by client id among this account's orders. */
  find(account: string, ref: OrderRef): Order | undefined {
    if (ref.orderId !== undefined) return this.orders.get(ref.orderId);
    if (ref.clientOrderId === undefined) return undefined;
    const resting = this.openByClientId.get(clientKey(account, ref.clientOrderId));
    if (resting) return resting;
    let latest: Order | undefined;
    for (const order of this.orders.values()) if (order.account === account && order.clientOrderId === ref.clientOrderId) latest = order;
    return latest;
  }

  /** Copies of this account's open orders, oldest first. */
  openOrders(account: string, symbol?: string): Order[] {
    return [...this.openByClientId.values()]
      .filter((order) => order.account === account && (symbol === undefined || order.symbol === symbol))
      .sort((a, b) => a.orderId - b.orderId)
      .map((order) => ({ ...order }));
  }

  /** Copies of every order of this account, open or finished, oldest first (a venue's full order history). */
  allOrders(account: string, symbol?: string): Order[] {
    return [...this.orders.values()].filter((o) => o.account === account && (symbol === undefined || o.symbol === symbol)).map((order) => ({ ...order }));
  }

  /** Copies of this account's finished orders, oldest first. */
  closedOrders(account: string, symbol?: string): Order[] {
    return [...this.orders.values()]
      .filter((o) => o.account === account && (symbol === undefined || o.symbol === symbol) && o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED')
      .map((order) => ({ ...order }));
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

function clientKey(account: string, clientOrderId: string): string {
  return `${account}\u0000${clientOrderId}`;
}

import { Decimal, isTerminalOrderState, type OrderCommand, type OrderEvent } from '@crossvenue/schemas';

export interface OpenOrder {
  /** The PLACE command as approved (amends applied): a cancel carries the whole order. */
  command: OrderCommand;
  remaining: Decimal;
  limitPrice: Decimal | null;
}


/**
 * Open-order exposure, counted from the moment risk approves an order until the venue says it is
 * done, so that two orders approved back to back cannot both use the same headroom. A fill counts
 * in the position as soon as it arrives and in the open remaining until its order event: for that
 * moment exposure is overstated, never understated.
 */
export class OpenOrders {
  private readonly orders = new Map<string, OpenOrder>();

  placed(command: OrderCommand): void {
    this.orders.set(command.clientOrderId, { command, remaining: new Decimal(command.quantity), limitPrice: command.limitPrice === null ? null : new Decimal(command.limitPrice) });
  }

  /** An approved amend: the new total quantity less what has filled, and the new price. */
  amended(command: OrderCommand): void {
    const order = this.orders.get(command.clientOrderId);
    if (!order) return;
    const filled = new Decimal(order.command.quantity).minus(order.remaining);
    if (command.newQuantity !== null) order.remaining = Decimal.max(new Decimal(command.newQuantity).minus(filled), 0);
    if (command.newLimitPrice !== null) order.limitPrice = new Decimal(command.newLimitPrice);
    order.command = { ...order.command, quantity: command.newQuantity ?? order.command.quantity, limitPrice: command.newLimitPrice ?? order.command.limitPrice };
  }

  /** Events arrive in order on the portfolio's partition; a terminal state ends the exposure. */
  applyEvent(event: OrderEvent): void {
    const order = this.orders.get(event.clientOrderId);
    if (!order) return;
    if (isTerminalOrderState(event.state)) {
      this.orders.delete(event.clientOrderId);
      return;
    }
    order.remaining = new Decimal(event.remainingQuantity);
    if (event.limitPrice !== null) order.limitPrice = new Decimal(event.limitPrice);
  }

  get(clientOrderId: string): OpenOrder | undefined {
    return this.orders.get(clientOrderId);
  }

  list(): OpenOrder[] {
    return [...this.orders.values()];
  }
}

import type { OrderState } from '../messages/OrderEvent.ts';

/** States after which the venue will never execute more of an order. */
export const TERMINAL_ORDER_STATES: ReadonlySet<OrderState> = new Set(['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED']);

export function isTerminalOrderState(state: OrderState): boolean {
  return TERMINAL_ORDER_STATES.has(state);
}

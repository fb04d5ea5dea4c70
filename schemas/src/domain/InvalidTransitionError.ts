import type { OrderEventType, OrderState } from '../messages/OrderEvent.ts';

/**
 * An order event that the transition table does not allow in the order's current state. It is
 * never applied: the caller keeps the order as it was, logs this error and audits it, because it
 * means either a venue reported something impossible or our own view of the order is wrong.
 */
export class InvalidTransitionError extends Error {
  override readonly name = 'InvalidTransitionError';
  readonly retriable = false;

  constructor(
    readonly state: OrderState,
    readonly event: OrderEventType,
    readonly clientOrderId: string | null = null,
  ) {
    super(`order ${clientOrderId ?? '(no id)'}: event ${event} is not allowed in state ${state}`);
  }
}

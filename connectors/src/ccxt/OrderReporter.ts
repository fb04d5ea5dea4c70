import { TOPICS } from '@crossvenue/schemas';
import type { Order } from 'ccxt';
import type { ConnectorContext } from './ConnectorContext.ts';
import { orderEvidence } from './orderEvidence.ts';
import { orderEvent, type EventFacts } from './toMessages.ts';
import type { TrackedOrder, TrackedOrders } from './TrackedOrders.ts';

/** Publishes OrderEvents of tracked orders and remembers what it last said about each. */
export class OrderReporter {
  constructor(
    private readonly context: ConnectorContext,
    readonly orders: TrackedOrders,
  ) {}

  async report(order: TrackedOrder, facts: EventFacts): Promise<void> {
    await this.context.messages.publish(TOPICS.orderEvents, [orderEvent(this.context, order, facts)]);
    order.state = facts.state;
    if (facts.evidence) {
      this.orders.setVenueOrderId(order, facts.evidence.venueOrderId);
      order.filledQuantity = facts.evidence.filledQuantity ?? order.filledQuantity;
    }
  }

  /**
   * A venue order (response, stream update, REST list or lookup) about one of our orders. The same
   * state and filled quantity seen again (stream and REST both report it) is published once.
   */
  async venueOrder(venueOrder: Order, source: EventFacts['source']): Promise<void> {
    const order = this.find(venueOrder);
    if (!order) return;
    const evidence = orderEvidence(venueOrder, this.context.capabilities);
    const filled = evidence.filledQuantity ?? order.filledQuantity;
    if (evidence.state === order.state && filled === order.filledQuantity) {
      this.orders.setVenueOrderId(order, evidence.venueOrderId);
      return;
    }
    await this.report(order, { event: evidence.event, state: evidence.state, source, evidence });
  }

  private find(venueOrder: Order): TrackedOrder | undefined {
    return (venueOrder.clientOrderId ? this.orders.get(venueOrder.clientOrderId) : undefined) ?? this.orders.byVenueOrderId(String(venueOrder.id));
  }
}

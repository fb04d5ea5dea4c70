import type { OrderCommand, OrderState } from '@crossvenue/schemas';

/** One of our child orders as this connector last reported it. */
export interface TrackedOrder {
  command: OrderCommand;
  state: OrderState;
  venueOrderId: string | null;
  /** Cumulative filled quantity last reported (decimal string). */
  filledQuantity: string;
  /** When this run sent it to the venue, until the venue's first answer (acknowledgement latency). */
  sentAtMs: number | null;
  /** Its create request went to the venue: a PLACE handled again (its batch retried) never sends it twice. */
  sent: boolean;
}

/**
 * Our orders on this account by client order id (and by venue order id, which Binance's
 * cancel-replace changes). In memory: after a restart the execution side's state and the
 * lookup-before-replay of old PLACE commands (CcxtExecution) take over.
 */
export class TrackedOrders {
  private readonly byClientId = new Map<string, TrackedOrder>();
  private readonly byVenueId = new Map<string, TrackedOrder>();

  get(clientOrderId: string): TrackedOrder | undefined {
    return this.byClientId.get(clientOrderId);
  }

  byVenueOrderId(venueOrderId: string): TrackedOrder | undefined {
    return this.byVenueId.get(venueOrderId);
  }

  track(command: OrderCommand): TrackedOrder {
    const order: TrackedOrder = { command, state: 'PENDING_NEW', venueOrderId: null, filledQuantity: '0', sentAtMs: null, sent: false };
    this.byClientId.set(command.clientOrderId, order);
    return order;
  }

  setVenueOrderId(order: TrackedOrder, venueOrderId: string | null): void {
    if (venueOrderId === null || order.venueOrderId === venueOrderId) return;
    order.venueOrderId = venueOrderId;
    this.byVenueId.set(venueOrderId, order);
  }

  /** Orders we last reported as acknowledged and not finished. */
  working(): TrackedOrder[] {
    return [...this.byClientId.values()].filter((order) => WORKING.has(order.state));
  }
}

const WORKING = new Set<OrderState>(['NEW', 'PARTIALLY_FILLED', 'PENDING_CANCEL', 'PENDING_AMEND']);

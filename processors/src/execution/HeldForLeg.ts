import type { Fill, OrderEvent } from '@crossvenue/schemas';
import type { Logger } from '@crossvenue/runtime';

/** A message about a leg, and whether it was read live (see PortfolioExecution.routeDecision). */
export interface Held {
  message: OrderEvent | Fill;
  live: boolean;
}

/** Legs awaited at once before the oldest one's messages are dropped as not ours. */
const MAX_LEGS = 10_000;

/**
 * Order events and fills read before the leg they concern, by client order id, oldest first: a
 * re-read of the topics side by side can meet an order event before the route decision that placed
 * its order. They are applied once the leg exists.
 */
export class HeldForLeg {
  private readonly byClientOrderId = new Map<string, Held[]>();

  constructor(private readonly logger: Logger) {}

  hold(clientOrderId: string, held: Held): void {
    const messages = this.byClientOrderId.get(clientOrderId) ?? [];
    messages.push(held);
    this.byClientOrderId.set(clientOrderId, messages);
    if (this.byClientOrderId.size <= MAX_LEGS) return;
    const [oldest, dropped] = this.byClientOrderId.entries().next().value!;
    this.byClientOrderId.delete(oldest);
    this.logger.warn({ clientOrderId: oldest }, `${dropped.length} order events or fills of ${oldest} dropped: no leg of that id appeared (not an order of ours)`);
  }

  /** What was held for this leg, in the order read; nothing is held for it afterwards. */
  release(clientOrderId: string): Held[] {
    const held = this.byClientOrderId.get(clientOrderId) ?? [];
    this.byClientOrderId.delete(clientOrderId);
    return held;
  }
}

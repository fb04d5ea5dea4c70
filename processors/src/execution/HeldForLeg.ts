import type { Fill, OrderEvent } from '@crossvenue/schemas';
import type { Logger } from '@crossvenue/runtime';

/** A message about a leg, and whether it was read live (see PortfolioExecution.routeDecision). */
export interface Held {
  message: OrderEvent | Fill;
  live: boolean;
}

/** Legs awaited at once, once live, before the oldest one's messages are dropped as not ours. */
const MAX_LEGS = 10_000;

/**
 * Order events and fills read before the leg they concern, by client order id, oldest first: a
 * re-read of the topics side by side can meet an order event before the route decision that placed
 * its order. They are applied once the leg exists. While replaying nothing is dropped: the fills
 * of a long history can be read far ahead of its decisions, and every one of them is ours (the run
 * that read them first had the leg). Live, a message whose leg does not appear among the last
 * MAX_LEGS awaited is not ours.
 */
export class HeldForLeg {
  private readonly byClientOrderId = new Map<string, Held[]>();

  constructor(private readonly logger: Logger) {}

  hold(clientOrderId: string, held: Held, replaying: boolean): void {
    const messages = this.byClientOrderId.get(clientOrderId) ?? [];
    messages.push(held);
    this.byClientOrderId.set(clientOrderId, messages);
    if (!replaying) this.trim();
  }

  /** Drops the oldest awaited legs' messages beyond MAX_LEGS: once caught up, and on each live hold. */
  trim(): void {
    while (this.byClientOrderId.size > MAX_LEGS) {
      const [oldest, dropped] = this.byClientOrderId.entries().next().value!;
      this.byClientOrderId.delete(oldest);
      this.logger.warn({ clientOrderId: oldest }, `${dropped.length} order events or fills of ${oldest} dropped: no leg of that id appeared (not an order of ours)`);
    }
  }

  /** What was held for this leg, in the order read; nothing is held for it afterwards. */
  release(clientOrderId: string): Held[] {
    const held = this.byClientOrderId.get(clientOrderId) ?? [];
    this.byClientOrderId.delete(clientOrderId);
    return held;
  }
}

import { Decimal, isTerminalOrderState, TOPICS, transition, type OrderEvent, type OrderState, type TransitionResult } from '@crossvenue/schemas';
import type { Order } from 'ccxt';
import type { ConnectorContext } from './ConnectorContext.ts';
import { orderEvidence, type OrderEvidence } from './orderEvidence.ts';
import { orderEvent, reportedFill, type EventFacts } from './toMessages.ts';
import type { TrackedOrder, TrackedOrders } from './TrackedOrders.ts';
import { ourClientOrderId } from './VenueCapabilities.ts';

/**
 * Publishes OrderEvents of tracked orders and remembers what it last said about each. What it said
 * is recorded before the publication is awaited (see report); an event whose publication failed
 * (Kafka away) is kept and published again, in the order the events were recorded, before any
 * newer one and at the next flush: the state recorded for it would otherwise hide it for good (the
 * same evidence seen again is not news, and a PLACE handled again is not sent again).
 */
export class OrderReporter {
  /** Recorded events whose publication failed, by the order they were recorded in. */
  private unpublished: Array<{ sequence: number; event: OrderEvent }> = [];
  private recorded = 0;

  constructor(
    private readonly context: ConnectorContext,
    readonly orders: TrackedOrders,
  ) {}

  /**
   * The stream, the create response and lookups report concurrently. What we said is recorded at
   * once, before the publication is awaited, so the next piece of evidence is judged against it
   * (and names it as previousState); the bus publishes in the order publish was called, so they
   * reach the topic in that order, without one waiting for the send of the one before.
   * The new state is the transition table's; a pair the table refuses is logged and not reported.
   */
  async report(order: TrackedOrder, facts: EventFacts): Promise<void> {
    const next = this.next(order, facts);
    if (!next.ok) {
      this.context.logger.error({ clientOrderId: order.command.clientOrderId, state: order.state, event: facts.event }, next.error.message);
      return;
    }
    const event = orderEvent(this.context, order, facts, next.state);
    this.count(order, facts, next.state);
    order.state = next.state;
    order.filledQuantity = event.filledQuantity;
    if (facts.evidence) this.orders.setVenueOrderId(order, facts.evidence.venueOrderId);
    await this.publish([{ sequence: this.recorded++, event }]);
  }

  /** Publishes again the events whose publication failed, if any (a retried batch starts with this). */
  async flush(): Promise<void> {
    if (this.unpublished.length > 0) await this.publish([]);
  }

  /** `recorded` after those still unpublished; on failure all of them are kept, in recorded order, and the error is thrown. */
  private async publish(recorded: Array<{ sequence: number; event: OrderEvent }>): Promise<void> {
    const events = [...this.unpublished.splice(0), ...recorded];
    try {
      await this.context.messages.publish(
        TOPICS.orderEvents,
        events.map(({ event }) => event),
      );
    } catch (error) {
      // Several publishes can fail together (the bus rejects every one queued behind a failed send).
      this.unpublished = [...this.unpublished, ...events].sort((a, b) => a.sequence - b.sequence);
      throw error;
    }
  }

  /**
   * A venue order (response, stream update, REST list or lookup) about one of our orders. The same
   * state and filled quantity seen again (stream and REST both report it) is published once.
   */
  async venueOrder(venueOrder: Order, source: EventFacts['source']): Promise<void> {
    const order = this.trackedOf(venueOrder);
    if (order) await this.evidence(order, venueOrder, source, { repeat: false });
  }

  /**
   * Venue evidence about a tracked order, published unless it is older than what we already said:
   * the paths race (a create response can arrive after the stream's FILLED), and an event that
   * steps back would show a finished order open again. `repeat` publishes an unchanged state too
   * (a lookup's evidence resolves UNKNOWN even when it names the state we last reported).
   */
  async evidence(order: TrackedOrder, venueOrder: Order, source: EventFacts['source'], { repeat }: { repeat: boolean }): Promise<void> {
    const evidence = orderEvidence(venueOrder, this.context.capabilities, this.context.exchange.market(order.command.instrument));
    this.orders.setVenueOrderId(order, evidence.venueOrderId);
    const facts: EventFacts = { event: evidence.event, source, evidence };
    const next = this.next(order, facts);
    const stale = whyStale(order, evidence, next);
    if (stale) {
      this.context.logger.debug({ clientOrderId: order.command.clientOrderId, state: order.state, evidence: evidence.rawVenueStatus }, `older venue evidence ignored: ${stale}`);
      return;
    }
    if (!repeat && next.ok && next.state === order.state && new Decimal(reportedFill(order, evidence)).eq(order.filledQuantity)) return;
    await this.report(order, facts);
  }

  /**
   * Orders sent, unknown, and the venue's first answer on a sent one with its latency: the first
   * venue evidence (or a lookup's NOT_FOUND) that leaves PENDING_NEW and UNKNOWN behind.
   */
  private count(order: TrackedOrder, facts: EventFacts, state: OrderState): void {
    const { metrics, now } = this.context;
    if (!metrics) return;
    if (facts.event === 'SUBMITTED') {
      order.sentAtMs = now();
      metrics.sent();
    } else if (facts.event === 'SUBMIT_UNKNOWN' && order.state !== 'UNKNOWN') {
      metrics.unknown();
    } else if (order.sentAtMs !== null && facts.source !== 'INTERNAL' && state !== 'PENDING_NEW' && state !== 'UNKNOWN') {
      metrics.answered(state === 'REJECTED' ? 'rejected' : 'acknowledged', (now() - order.sentAtMs) / 1_000);
      order.sentAtMs = null;
    }
  }

  /** Where the table takes the order on these facts; fills counted as the event would report them. */
  private next(order: TrackedOrder, facts: EventFacts): TransitionResult {
    const hasFills = new Decimal(reportedFill(order, facts.evidence)).gt(0);
    return transition(order.state, facts.event, hasFills, order.command.clientOrderId);
  }

  /** The tracked order a venue order is, by our client order id or the venue's order id. */
  trackedOf(venueOrder: Order): TrackedOrder | undefined {
    const clientOrderId = ourClientOrderId(this.context.capabilities, venueOrder.clientOrderId);
    return (clientOrderId ? this.orders.get(clientOrderId) : undefined) ?? this.orders.byVenueOrderId(String(venueOrder.id));
  }
}

/** Why evidence is older than what we last reported (then it only records the venue order id); null when it is news. */
function whyStale(order: TrackedOrder, evidence: OrderEvidence, next: TransitionResult): string | null {
  if (isTerminalOrderState(order.state)) return `the order is already ${order.state}`;
  if (!next.ok) return next.error.message;
  if (evidence.filledQuantity !== null && new Decimal(evidence.filledQuantity).lt(order.filledQuantity)) {
    return `filled ${evidence.filledQuantity} is below the ${order.filledQuantity} already reported`;
  }
  // An ids-only acknowledgement says the order exists: news only while we have not heard that yet.
  if (evidence.idsOnly && order.state !== 'PENDING_NEW' && order.state !== 'UNKNOWN') return `an acknowledgement after ${order.state}`;
  return null;
}

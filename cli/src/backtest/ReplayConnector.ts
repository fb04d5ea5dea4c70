import {
  Decimal,
  formatDecimal,
  isTerminalOrderState,
  TOPICS,
  transition,
  type BookSnapshot,
  type Fill,
  type OrderCommand,
  type OrderEvent,
  type OrderEventSource,
  type OrderEventType,
  type OrderState,
} from '@crossvenue/schemas';
import type { Consumer, Logger, MessageBus } from '@crossvenue/runtime';
import type { ReplayOrderReport, ReplayOrderRequest, ReplayVenue } from '@crossvenue/simulator';
import { symbolMetadataOf, type RecordedEvent, type RecordedInstrument } from './RecordedMarket.ts';

/** Book levels per side in the published snapshots, as the embedded run's connectors publish. */
export const PUBLISHED_DEPTH = 20;

export interface ReplayConnectorOptions {
  venue: ReplayVenue;
  account: string;
  messages: MessageBus;
  /** The run's clock: simulated in a backtest, wall time in paper trading. */
  clock: () => number;
  logger: Logger;
  /** Markets published at start; more may be listed later (`list`), as paper trading learns them from live books. */
  instruments: readonly RecordedInstrument[];
  /**
   * Who makes orders and cancels in flight arrive at the venue: `driven` (default), the caller
   * (the backtest's event loop, on simulated time); `timers`, the connector itself, on wall-clock
   * timers set for each arrival (paper trading).
   */
  arrivals?: 'driven' | 'timers';
}

interface TrackedOrder {
  command: OrderCommand;
  state: OrderState;
  filled: string;
  /** Events published about it: numbers the next event's id. */
  events: number;
}

const EVENT_OF_STATUS = {
  NEW: 'ACCEPTED',
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  FILLED: 'FILLED',
  CANCELED: 'CANCELED',
  REJECTED: 'REJECTED',
  EXPIRED: 'EXPIRED',
} as const satisfies Record<ReplayOrderReport['status'], OrderEventType>;

/**
 * The in-process connector of one replay venue, doing on the bus what a real connector does: it
 * publishes the venue's markets (`ref.symbols`) and books (`md.book-snapshots`, each stamped with
 * its recorded receive time), takes the order commands of its (venue, account), hands them to the
 * replay venue, and publishes what the venue reports as order events and fills. Order states move
 * by the one transition table (`transition`), as OrderReporter's do. Event ids are numbered per
 * order, so a run replays with the same ids. Commands and reports are handled one after the
 * other (a queue): with wall-clock arrivals, commands, books and arrivals come from independent
 * callers, and the events of one order must not interleave.
 */
export class ReplayConnector {
  private readonly orders = new Map<string, TrackedOrder>();
  private readonly quoteOf = new Map<string, string>();
  private consumer: Consumer | undefined;
  private books = 0;
  private queue: Promise<void> = Promise.resolve();
  private arrivalTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: ReplayConnectorOptions) {}

  get venue(): string {
    return this.options.venue.name;
  }

  get replayVenue(): ReplayVenue {
    return this.options.venue;
  }

  async start(): Promise<void> {
    const { messages } = this.options;
    await this.list(this.options.instruments);
    this.consumer = await messages.subscribe({
      groupId: `replay-connector-${this.venue}`,
      topics: [TOPICS.orderCommands],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { value: command } of batch) {
          if (command.venue === this.venue && command.account === this.options.account) await this.serially(() => this.handle(command));
        }
      },
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.arrivalTimer);
    await this.consumer?.stop();
    await this.queue;
  }

  /** Publishes the rules of markets the venue now trades (`ref.symbols`), as a connector does from the venue's market list. */
  async list(instruments: readonly RecordedInstrument[]): Promise<void> {
    const { messages, venue, clock } = this.options;
    for (const instrument of instruments) this.quoteOf.set(instrument.instrument, instrument.quote);
    if (instruments.length > 0) await messages.publish(TOPICS.symbols, instruments.map((instrument) => symbolMetadataOf(instrument, venue.options.fees, clock())));
  }

  /** A recorded book of this venue, published as the connector would (top PUBLISHED_DEPTH levels). */
  async publishBook(event: Extract<RecordedEvent, { kind: 'book' }>): Promise<void> {
    const levels = (side: typeof event.bids) => side.slice(0, PUBLISHED_DEPTH).map(([price, quantity]) => ({ price, quantity }));
    const book: BookSnapshot = {
      eventId: `${this.venue}:${event.instrument}:book:${this.books++}`,
      venue: this.venue,
      instrument: event.instrument,
      venueSymbol: event.venueSymbol,
      sequence: event.sequence,
      venueTimeMs: event.venueTimeMs,
      receivedAtMs: event.atMs,
      bids: levels(event.bids),
      asks: levels(event.asks),
    };
    await this.options.messages.publish(TOPICS.bookSnapshots, [book]);
  }

  /** What the venue reported, as order events and fills: after every report handed over before. */
  publishReports(reports: readonly ReplayOrderReport[]): Promise<void> {
    return this.serially(() => this.publishNow(reports));
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    this.queue = next.catch((error: Error) => this.options.logger.error({ err: error }, `replay connector ${this.venue}: ${error.message}`));
    return next;
  }

  private async publishNow(reports: readonly ReplayOrderReport[]): Promise<void> {
    for (const report of reports) {
      const order = this.orders.get(report.clientOrderId);
      if (!order) {
        this.options.logger.error({ clientOrderId: report.clientOrderId }, 'a report on an order this connector never sent');
        continue;
      }
      if (report.cancelRejected) {
        await this.publishEvent(order, 'CANCEL_REJECTED', 'VENUE', { reason: report.reason });
        continue;
      }
      const fills = report.fills.map((fill): Fill => ({
        eventId: `${this.venue}:${fill.tradeId}`,
        venue: this.venue,
        account: this.options.account,
        portfolio: order.command.portfolio,
        venueTradeId: fill.tradeId,
        clientOrderId: order.command.clientOrderId,
        venueOrderId: report.venueOrderId,
        intentId: order.command.intentId,
        instrument: order.command.instrument,
        side: order.command.side,
        price: formatDecimal(fill.price),
        quantity: formatDecimal(fill.quantity),
        fee: formatDecimal(fill.fee),
        feeCurrency: this.quoteOf.get(order.command.instrument)!,
        liquidity: fill.liquidity,
        venueTimeMs: report.atMs,
        receivedAtMs: report.atMs,
        source: 'VENUE',
      }));
      if (fills.length > 0) await this.options.messages.publish(TOPICS.fills, fills);
      await this.publishEvent(order, EVENT_OF_STATUS[report.status], 'VENUE', {
        reason: report.reason,
        filled: formatDecimal(report.filled),
        averagePrice: report.averagePrice && formatDecimal(report.averagePrice.toDecimalPlaces(12)),
        venueOrderId: report.venueOrderId,
        rawVenueStatus: report.status,
      });
    }
  }

  private async handle(command: OrderCommand): Promise<void> {
    const { venue, clock } = this.options;
    if (command.type === 'PLACE') {
      if (this.orders.has(command.clientOrderId)) return;
      const order: TrackedOrder = { command, state: 'PENDING_NEW', filled: '0', events: 0 };
      this.orders.set(command.clientOrderId, order);
      const request = requestOf(command);
      if (typeof request === 'string') return this.publishEvent(order, 'REJECTED', 'INTERNAL', { reason: request });
      await this.publishEvent(order, 'SUBMITTED', 'INTERNAL', {});
      venue.submit(request, clock());
      this.armArrivals();
      return;
    }
    const order = this.orders.get(command.clientOrderId);
    if (!order) {
      this.options.logger.error({ clientOrderId: command.clientOrderId, type: command.type }, 'a command for an order this connector never placed');
      return;
    }
    if (command.type === 'CANCEL') {
      await this.publishEvent(order, 'CANCEL_REQUESTED', 'INTERNAL', {});
      venue.cancel(command.clientOrderId, clock());
      this.armArrivals();
      return;
    }
    await this.publishEvent(order, 'AMEND_REQUESTED', 'INTERNAL', {});
    await this.publishEvent(order, 'AMEND_REJECTED', 'INTERNAL', { reason: 'replay venues do not amend orders' });
  }

  /** With wall-clock arrivals: a timer for the next order or cancel in flight, which runs every one due then. */
  private armArrivals(): void {
    const { venue, clock } = this.options;
    const next = venue.nextArrivalMs();
    if (this.options.arrivals !== 'timers' || this.stopped || next === undefined) return;
    clearTimeout(this.arrivalTimer);
    this.arrivalTimer = setTimeout(() => {
      this.arrivalTimer = undefined;
      void this.serially(async () => {
        for (let at = venue.nextArrivalMs(); at !== undefined && at <= clock(); at = venue.nextArrivalMs()) await this.publishNow(venue.arrive());
        this.armArrivals();
      });
    }, Math.max(0, next - clock()));
  }

  private async publishEvent(
    order: TrackedOrder,
    event: OrderEventType,
    source: OrderEventSource,
    facts: { reason?: string | null; filled?: string; averagePrice?: string | null; venueOrderId?: string; rawVenueStatus?: string },
  ): Promise<void> {
    const { command } = order;
    const filled = facts.filled ?? order.filled;
    const next = transition(order.state, event, new Decimal(filled).gt(0), command.clientOrderId);
    if (!next.ok) {
      this.options.logger.error({ clientOrderId: command.clientOrderId, state: order.state, event }, next.error.message);
      return;
    }
    const message: OrderEvent = {
      eventId: `${this.venue}:${command.clientOrderId}:${order.events++}`,
      clientOrderId: command.clientOrderId,
      venueOrderId: facts.venueOrderId ?? command.venueOrderId,
      intentId: command.intentId,
      portfolio: command.portfolio,
      venue: this.venue,
      account: command.account,
      instrument: command.instrument,
      side: command.side,
      previousState: order.state,
      state: next.state,
      event,
      rawVenueStatus: facts.rawVenueStatus ?? null,
      filledQuantity: filled,
      remainingQuantity: isTerminalOrderState(next.state) ? '0' : formatDecimal(Decimal.max(new Decimal(command.quantity).minus(filled), 0)),
      limitPrice: command.limitPrice,
      averagePrice: facts.averagePrice ?? null,
      reason: facts.reason ?? null,
      venueTimeMs: source === 'VENUE' ? this.options.clock() : null,
      receivedAtMs: this.options.clock(),
      source,
    };
    order.state = next.state;
    order.filled = filled;
    await this.options.messages.publish(TOPICS.orderEvents, [message]);
  }
}

/** The replay venue's order for a command, or why the venue would refuse it. */
function requestOf(command: OrderCommand): ReplayOrderRequest | string {
  if (command.orderType !== 'LIMIT' && command.orderType !== 'MARKET') return `replay venues take LIMIT and MARKET orders, not ${command.orderType}`;
  const { timeInForce } = command;
  if (timeInForce !== 'GTC' && timeInForce !== 'IOC' && timeInForce !== 'FOK') return `replay venues take GTC, IOC and FOK, not ${timeInForce}`;
  return {
    clientOrderId: command.clientOrderId,
    instrument: command.instrument,
    side: command.side,
    quantity: new Decimal(command.quantity),
    limitPrice: command.orderType === 'LIMIT' && command.limitPrice !== null ? new Decimal(command.limitPrice) : null,
    timeInForce,
    postOnly: command.postOnly,
  };
}

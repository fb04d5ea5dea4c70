import type { OrderCommand } from '@crossvenue/schemas';
import type { Order } from 'ccxt';
import { toCcxtAmount } from './ccxtValues.ts';
import type { ConnectorContext } from './ConnectorContext.ts';
import { errorMessage, failureKind } from './failureKind.ts';
import { lookupOrder, type Lookup } from './lookupOrder.ts';
import { orderEvidence } from './orderEvidence.ts';
import type { OrderReporter } from './OrderReporter.ts';
import { placeRequest, venueAmount } from './orderParams.ts';
import type { TrackedOrder } from './TrackedOrders.ts';

export interface ExecutionOptions {
  /**
   * A lookup that finds nothing is trusted as NOT_FOUND only this long after the submit was sent,
   * so a request still in flight cannot arrive after we said it does not exist (Binance rejects a
   * request older than its recvWindow, 5 s by default).
   */
  notFoundGraceMs: number;
  /** Pause between lookups of an UNKNOWN order when the lookup itself gave no answer. */
  lookupRetryMs: number;
  /** Tries of a cancel by client order id (safe to repeat); a place is never repeated. */
  cancelAttempts: number;
  /** PLACE commands created before this (replayed after a restart) are looked up before they are sent. */
  startedAtMs: number;
}

/**
 * Orders of one batch of commands handled at once. Each command waits for the venue's answer (one
 * REST round trip, about 15 ms on a simulated venue here), so one at a time the connector took
 * about 30 orders a second; at once they queue in ccxt's rate limiter instead, which paces them to
 * the venue's limits, and their events share Kafka requests.
 */
const ORDERS_AT_ONCE = 32;

/**
 * Turns our OrderCommands into venue calls and publishes what the venue said. The invariant it
 * keeps: one venue order per client order id. A submit with an unknown outcome is UNKNOWN until
 * venue evidence (a lookup by client order id, the stream, the open-orders list) says otherwise;
 * the timer only paces lookups, it never decides.
 */
export class CcxtExecution {
  private readonly resolving = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly context: ConnectorContext,
    private readonly reporter: OrderReporter,
    private readonly options: ExecutionOptions,
  ) {}

  /** True for the commands of this connector's (venue, account); the others belong to other connectors. */
  owns(command: OrderCommand): boolean {
    return command.venue === this.context.venue && command.account === this.context.account;
  }

  /**
   * A batch of commands: those of one order (client order id) one after another, in the order read,
   * and up to ORDERS_AT_ONCE orders at once. Every command is handled before a failure is thrown, so
   * a redelivered batch finds each one sent already (a PLACE is never sent twice for an id).
   */
  async handleBatch(commands: readonly OrderCommand[]): Promise<void> {
    // A batch handed in again after a failed publication: what was recorded then goes out first.
    await this.reporter.flush();
    const byOrder = new Map<string, OrderCommand[]>();
    for (const command of commands) {
      const same = byOrder.get(command.clientOrderId);
      if (same) same.push(command);
      else byOrder.set(command.clientOrderId, [command]);
    }
    const orders = [...byOrder.values()];
    let next = 0;
    const failures: unknown[] = [];
    const lane = async () => {
      for (let order = orders[next++]; order; order = orders[next++]) {
        try {
          for (const command of order) await this.handle(command);
        } catch (error) {
          failures.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(ORDERS_AT_ONCE, orders.length) }, lane));
    if (failures.length > 0) throw failures[0];
  }

  async handle(command: OrderCommand): Promise<void> {
    if (!this.owns(command)) return;
    if (command.portfolio !== this.context.portfolio) await this.refuseForeign(command);
    else if (command.type === 'PLACE') await this.place(command);
    else if (command.type === 'CANCEL') await this.cancel(command);
    else await this.amend(command);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.resolving);
  }

  private async place(command: OrderCommand): Promise<void> {
    const tracked = this.reporter.orders.get(command.clientOrderId);
    if (tracked && (tracked.sent || tracked.state !== 'PENDING_NEW')) {
      this.context.logger.info({ clientOrderId: command.clientOrderId }, 'PLACE for a client order id already sent; not sending it again');
      return;
    }
    // Tracked but not sent: its batch failed to publish SUBMITTED (flushed since) before the send.
    const order = tracked ?? this.reporter.orders.track(command);
    if (command.createdAtMs < this.options.startedAtMs && (await this.foundBeforeReplay(order))) return;
    const request = placeRequest(command, this.context.capabilities);
    if (!request.ok) return this.refuse(order, request.reason);
    const amount = venueAmount(this.context.exchange, command.instrument, command.quantity);
    if (!amount.ok) return this.refuse(order, amount.reason);
    if (!tracked) await this.reporter.report(order, { event: 'SUBMITTED', source: 'INTERNAL' });
    order.sent = true;
    const sentAtMs = this.context.now();
    const { exchange, health } = this.context;
    const price = command.orderType === 'LIMIT' && command.limitPrice !== null ? toCcxtAmount(command.limitPrice) : undefined;
    let response: Order;
    try {
      response = await health.measure(() => exchange.createOrder(command.instrument, request.type, request.side, toCcxtAmount(amount.amount), price, request.params));
    } catch (error) {
      if (failureKind(error) === 'refused') {
        health.orderOutcome(true);
        await this.reporter.report(order, { event: 'REJECTED', source: 'VENUE', reason: errorMessage(error) });
        return;
      }
      // The stream may already have proved the order exists; a failed send never overrides evidence.
      if (order.state !== 'PENDING_NEW') return;
      // Recorded at once; resolved even if its publication fails (the batch is retried, and the order not sent again).
      const reported = this.reporter.report(order, { event: 'SUBMIT_UNKNOWN', source: 'INTERNAL', reason: errorMessage(error) });
      this.resolveInBackground(order, sentAtMs);
      await reported;
      return;
    }
    health.orderOutcome(false);
    // Outside the send's try: a publication that fails fails the batch (handed in again, it goes out then), it is no failed send.
    // The stream may have reported the order already (even FILLED): the reporter drops what is older.
    await this.reporter.evidence(order, response, 'VENUE', { repeat: false });
  }

  /** A PLACE this connector cannot express is answered at once, never sent half-understood. */
  private refuse(order: TrackedOrder, reason: string): Promise<void> {
    return this.reporter.report(order, { event: 'REJECTED', source: 'INTERNAL', reason });
  }

  /** A PLACE replayed after a restart: if the venue already has the order, report it instead of sending. */
  private async foundBeforeReplay(order: TrackedOrder): Promise<boolean> {
    const found = await this.lookup(order);
    if (found.kind === 'not-found') return false;
    if (found.kind === 'found') await this.reportEvidence(order, found.order);
    else {
      const reported = this.reporter.report(order, { event: 'SUBMIT_UNKNOWN', source: 'INTERNAL', reason: `replayed PLACE, lookup failed: ${found.reason}` });
      this.resolveInBackground(order, this.context.now());
      await reported;
    }
    return true;
  }

  private resolveInBackground(order: TrackedOrder, sentAtMs: number): void {
    const running = this.resolve(order, sentAtMs)
      .catch((error: unknown) => this.context.logger.error({ clientOrderId: order.command.clientOrderId, err: error }, 'resolving an UNKNOWN order failed'))
      .finally(() => this.resolving.delete(running));
    this.resolving.add(running);
  }

  private async resolve(order: TrackedOrder, sentAtMs: number): Promise<void> {
    while (order.state === 'UNKNOWN' && !this.stopped) {
      const found = await this.lookup(order);
      if (order.state !== 'UNKNOWN') return; // the stream resolved it meanwhile
      if (found.kind === 'found') return this.reportEvidence(order, found.order);
      if (found.kind === 'not-found' && this.context.now() - sentAtMs >= this.options.notFoundGraceMs) {
        await this.reporter.report(order, { event: 'NOT_FOUND', source: 'RECONCILIATION', reason: 'the venue has no order with this client order id' });
        return;
      }
      await sleep(this.options.lookupRetryMs);
    }
  }

  private lookup(order: TrackedOrder): Promise<Lookup> {
    return lookupOrder(this.context, order.command.instrument, order.command.clientOrderId);
  }

  /** Evidence moves the order even to the state we last reported (it resolves UNKNOWN), never back. */
  private reportEvidence(order: TrackedOrder, venueOrder: Order): Promise<void> {
    return this.reporter.evidence(order, venueOrder, 'RECONCILIATION', { repeat: true });
  }

  private async cancel(command: OrderCommand): Promise<void> {
    const order = this.reporter.orders.get(command.clientOrderId) ?? this.adopt(command);
    await this.reporter.report(order, { event: 'CANCEL_REQUESTED', source: 'INTERNAL' });
    const target = this.cancelTarget(order);
    if (!target.ok) {
      await this.reporter.report(order, { event: 'CANCEL_REJECTED', source: 'INTERNAL', reason: target.reason });
      return;
    }
    const { exchange, health } = this.context;
    for (let attempt = 1; attempt <= this.options.cancelAttempts; attempt++) {
      try {
        const response = await health.measure(() => exchange.cancelOrder(target.venueOrderId, command.instrument, target.params));
        // Bybit acknowledges a cancel with ids only; then the order itself is the evidence.
        if (response.status) await this.reportEvidence(order, response);
        else await this.lookUpAndReport(order);
        return;
      } catch (error) {
        const kind = failureKind(error);
        if (kind === 'unknown' && attempt < this.options.cancelAttempts) continue;
        if (kind !== 'unknown') {
          await this.reporter.report(order, { event: 'CANCEL_REJECTED', source: 'VENUE', reason: errorMessage(error) });
        }
        await this.lookUpAndReport(order);
        return;
      }
    }
  }

  /** By our client order id where the venue takes it (repeatable before the ack); else by the venue order id. */
  private cancelTarget(order: TrackedOrder): { ok: true; venueOrderId: string; params: Record<string, string | boolean> } | { ok: false; reason: string } {
    const { byClientOrderId, clientOrderIds } = this.context.capabilities;
    if (byClientOrderId.lookup !== 'none') return { ok: true, venueOrderId: '', params: byClientOrderId.params(clientOrderIds.toVenue(order.command.clientOrderId)) };
    const venueOrderId = order.venueOrderId ?? order.command.venueOrderId;
    if (venueOrderId === null) return { ok: false, reason: `the venue order id is not known yet, and ${byClientOrderId.reason}` };
    return { ok: true, venueOrderId, params: {} };
  }

  private async amend(command: OrderCommand): Promise<void> {
    const order = this.reporter.orders.get(command.clientOrderId) ?? this.adopt(command);
    const venueOrderId = order.venueOrderId ?? command.venueOrderId;
    const quantity = command.newQuantity ?? order.command.quantity;
    const limitPrice = command.newLimitPrice ?? order.command.limitPrice;
    await this.reporter.report(order, { event: 'AMEND_REQUESTED', source: 'INTERNAL' });
    const { exchange, health, capabilities } = this.context;
    const amount = venueAmount(exchange, command.instrument, quantity);
    const { amend } = capabilities;
    const refusal = amend.kind === 'cancel-replace' ? amend.reason : amount.ok ? null : amount.reason;
    if (amend.kind === 'cancel-replace' || !amount.ok) {
      await this.reporter.report(order, { event: 'AMEND_REJECTED', source: 'INTERNAL', reason: refusal });
      return;
    }
    try {
      if (venueOrderId === null || limitPrice === null) throw new Error('amend needs the venue order id and a limit price');
      const side = command.side === 'SELL' ? 'sell' : 'buy';
      // The row's params address the order by our id: the same order, its identity kept.
      const params = amend.params(capabilities.clientOrderIds.toVenue(command.clientOrderId));
      const response = await health.measure(() =>
        exchange.editOrder(venueOrderId, command.instrument, 'limit', side, toCcxtAmount(amount.amount), toCcxtAmount(limitPrice), params),
      );
      order.command = { ...order.command, quantity, limitPrice };
      const evidence = orderEvidence(response, this.context.capabilities, exchange.market(command.instrument));
      await this.reporter.report(order, { event: 'AMEND_ACCEPTED', source: 'VENUE', evidence });
    } catch (error) {
      if (failureKind(error) === 'unknown') return this.lookUpAndReport(order);
      await this.reporter.report(order, { event: 'AMEND_REJECTED', source: 'VENUE', reason: errorMessage(error) });
    }
  }

  private async lookUpAndReport(order: TrackedOrder): Promise<void> {
    const found = await this.lookup(order);
    if (found.kind === 'found') await this.reportEvidence(order, found.order);
  }

  /**
   * A command of another portfolio never reaches the venue: an account belongs to exactly one
   * portfolio (config/README.md), whose limits approved what trades on it. The command is answered
   * as a refusal with the reason, in events of the order's portfolio (its sender's), so the order
   * does not wait for an answer: a PLACE is REJECTED, a CANCEL or AMEND requested and rejected.
   */
  private async refuseForeign(command: OrderCommand): Promise<void> {
    const { venue, account, portfolio, logger } = this.context;
    const reason = `portfolio "${command.portfolio}" cannot trade on ${venue}|${account}, which belongs to portfolio "${portfolio}"`;
    logger.error({ clientOrderId: command.clientOrderId, commandId: command.commandId }, `${command.type} refused: ${reason}`);
    const tracked = this.reporter.orders.get(command.clientOrderId);
    if (command.type === 'PLACE') {
      // A redelivered PLACE was answered already.
      if (!tracked) await this.reporter.report(this.reporter.orders.track(command), { event: 'REJECTED', source: 'INTERNAL', reason });
      return;
    }
    const order = tracked ?? this.adopt(command);
    const cancel = command.type === 'CANCEL';
    await this.reporter.report(order, { event: cancel ? 'CANCEL_REQUESTED' : 'AMEND_REQUESTED', source: 'INTERNAL' });
    await this.reporter.report(order, { event: cancel ? 'CANCEL_REJECTED' : 'AMEND_REJECTED', source: 'INTERNAL', reason });
  }

  /** A CANCEL or AMEND for an order this process did not place (placed before a restart). */
  private adopt(command: OrderCommand): TrackedOrder {
    const order = this.reporter.orders.track(command);
    this.reporter.orders.setVenueOrderId(order, command.venueOrderId);
    order.state = 'NEW';
    return order;
  }
}

/** The open state an order returns to after a refused cancel or a settled amend. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

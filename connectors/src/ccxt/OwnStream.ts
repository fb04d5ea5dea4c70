import type { Order, Trade } from 'ccxt';
import { isTerminalOrderState } from '@crossvenue/schemas';
import type { ConnectorContext } from './ConnectorContext.ts';
import { errorMessage } from './failureKind.ts';
import { lookupOrder } from './lookupOrder.ts';
import type { OrderReporter } from './OrderReporter.ts';
import type { OwnFills } from './OwnFills.ts';
import { ourClientOrderId } from './VenueCapabilities.ts';

/**
 * Our own orders and trades from the venue's user stream (ccxt.pro watchOrders / watchMyTrades).
 * Venues do not replay a user stream after a reconnect, so every (re)connect starts with a REST
 * catch-up: the open orders plus a lookup of each working order no longer listed (it finished
 * while we were away), and our trades since the last one seen. OwnFills de-duplicates trades, and
 * OrderReporter repeated order states, so what both paths see is published once.
 */
export class OwnStream {
  private running = false;
  private loops: Array<Promise<void>> = [];
  /** The fills already on the topic, read at start (OwnFills.recall): no catch-up publishes before it is done. */
  private recalled: Promise<void> = Promise.resolve();
  private cacheReader: NodeJS.Timeout | undefined;

  constructor(
    private readonly context: ConnectorContext,
    private readonly reporter: OrderReporter,
    private readonly fills: OwnFills,
    private readonly options: { reconnectDelayMs: number; catchUpLookbackMs: number },
  ) {}

  start(): void {
    this.running = true;
    const startedAtMs = this.context.now();
    const { exchange, capabilities, logger } = this.context;
    this.recalled = this.fills.recall(startedAtMs - this.options.catchUpLookbackMs).then((count) => logger.info({ recalled: count }, `${count} fills already published recalled`));
    // A venue whose stream carries no per-fill fee (its row's `fees`) is read from its trade history instead.
    const watchTrades = capabilities.fees === 'fill' ? () => exchange.watchMyTrades() : () => this.pollTrades(startedAtMs);
    this.loops = [
      this.loop('orders', () => exchange.watchOrders(), (orders) => this.onOrders(orders, 'VENUE'), () => this.catchUpOrders()),
      this.loop('trades', watchTrades, async (trades) => void (await this.fills.publish(trades, 'VENUE')), () => this.catchUpTrades(startedAtMs)),
    ];
    let reading: Promise<void> | null = null;
    this.cacheReader = setInterval(() => {
      reading ??= this.readCaches()
        .catch((error: unknown) => logger.warn({ err: errorMessage(error) }, "reading ccxt's user-stream caches failed"))
        .finally(() => (reading = null));
    }, CACHE_READ_MS);
    this.cacheReader.unref();
  }

  /** Resolves once the fills already published are read back (start): the first catch-up runs after it. */
  recalledFills(): Promise<void> {
    return this.recalled;
  }

  /** Stops the loops; closing the ccxt client rejects the watches they wait on. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.cacheReader);
    await this.context.exchange.close();
    await Promise.all(this.loops);
  }

  private async catchUpOrders(): Promise<void> {
    const { exchange, health, instruments } = this.context;
    const listed = new Set<string>();
    for (const instrument of instruments) {
      const open = await health.measure(() => exchange.fetchOpenOrders(instrument));
      for (const order of open) {
        const clientOrderId = ourClientOrderId(this.context.capabilities, order.clientOrderId);
        if (clientOrderId) listed.add(clientOrderId);
      }
      await this.onOrders(open, 'RECONCILIATION');
    }
    for (const order of this.reporter.orders.working()) {
      if (listed.has(order.command.clientOrderId)) continue;
      const found = await lookupOrder(this.context, order.command.instrument, order.command.clientOrderId);
      if (found.kind === 'found') await this.reporter.venueOrder(found.order, 'RECONCILIATION');
    }
  }

  private async catchUpTrades(startedAtMs: number): Promise<void> {
    await this.recalled;
    const { exchange, health, instruments } = this.context;
    for (const instrument of instruments) {
      const since = this.fills.catchUpFromMs(instrument, startedAtMs - this.options.catchUpLookbackMs);
      const trades = await health.measure(() => exchange.fetchMyTrades(instrument, since));
      await this.fills.publish(trades, 'RECONCILIATION');
    }
  }

  /** The trade-history stand-in for watchMyTrades: a catch-up every TRADE_HISTORY_POLL_MS, which publishes what it finds. */
  private async pollTrades(startedAtMs: number): Promise<Trade[]> {
    await sleep(TRADE_HISTORY_POLL_MS);
    if (this.running) await this.catchUpTrades(startedAtMs);
    return [];
  }

  /**
   * What the stream brought that no watch was woken for. ccxt hands a socket message to the watch
   * waiting for it and otherwise only to its cache (exchange.orders, exchange.myTrades); a watch is
   * armed again a few awaits after the last resolved, and on a loaded machine that took long enough
   * for an order's FILLED, sent right after its PARTIALLY_FILLED, to find none waiting. Nothing
   * follows a finished order's last update, so it would have stayed unseen. Reading the caches
   * costs no request; OrderReporter and OwnFills drop what was already published. The reporter's
   * unpublished events are flushed first.
   */
  private async readCaches(): Promise<void> {
    const { exchange } = this.context;
    // Order events whose publication failed (Kafka away) go out again here too: nothing else may come to take them.
    await this.reporter.flush();
    for (const order of (exchange.orders ?? []) as Order[]) {
      const tracked = this.reporter.trackedOf(order);
      if (tracked && !isTerminalOrderState(tracked.state)) await this.reporter.evidence(tracked, order, 'VENUE', { repeat: false });
    }
    await this.fills.publish((exchange.myTrades ?? []) as Trade[], 'VENUE');
  }

  private async onOrders(orders: readonly Order[], source: 'VENUE' | 'RECONCILIATION'): Promise<void> {
    for (const order of orders) await this.reporter.venueOrder(order, source);
  }

  /**
   * One watch loop. ccxt resolves a watch with what arrived since the last call and rejects it when
   * the connection drops; the next call reconnects. The watch is subscribed before the catch-up
   * runs, so nothing falls between the two. It is armed again as soon as it resolves, before the
   * batch is handled: ccxt wakes only a watch that is waiting, so an update that arrived while we
   * were publishing would otherwise sit unseen in ccxt's cache until the next one came.
   */
  private async loop<T>(name: string, watch: () => Promise<T>, handle: (items: T) => Promise<void>, catchUp: () => Promise<void>): Promise<void> {
    const { health, logger } = this.context;
    const armed = () => {
      const watching = watch();
      watching.catch(() => undefined); // observed where awaited; a rejection while we are busy must not go unhandled
      return watching;
    };
    while (this.running) {
      try {
        let watching = armed();
        await catchUp();
        health.streamConnected();
        while (this.running) {
          const items = await watching;
          watching = armed();
          await handle(items);
        }
      } catch (error) {
        if (!this.running) return;
        health.streamDisconnected();
        logger.warn({ stream: name, err: errorMessage(error) }, `user stream ${name} interrupted; reconnecting with a REST catch-up`);
        await sleep(this.options.reconnectDelayMs);
      }
    }
  }
}

/** One trade-history request per instrument a second: Coinbase allows 30 private requests a second. */
const TRADE_HISTORY_POLL_MS = 1_000;

/** How often ccxt's user-stream caches are read for updates no watch was woken for (readCaches). */
const CACHE_READ_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

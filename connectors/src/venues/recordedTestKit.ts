import { createLogger, InProcessBus, MessageBus } from '@crossvenue/runtime';
import { LocalCodec, TOPICS, type Fill, type OrderCommand, type OrderEvent } from '@crossvenue/schemas';
import { limitPlaceCommand } from '@crossvenue/schemas/testing';
import type { Exchange, Order, Trade } from 'ccxt';
import type { ConnectorContext } from '../ccxt/ConnectorContext.ts';
import { OrderReporter } from '../ccxt/OrderReporter.ts';
import { OwnFills } from '../ccxt/OwnFills.ts';
import { TrackedOrders } from '../ccxt/TrackedOrders.ts';
import { VenueHealthMonitor } from '../ccxt/VenueHealthMonitor.ts';
import { capabilitiesOf } from './capabilitiesOf.ts';

/**
 * Tests only: recorded venue payloads (../shared/data/venues) through ccxt's own parsers and then
 * the connector's own classes, offline. Used by the <venue>Recorded.test.ts files.
 */

/** ccxt's own loadMarkets, the one public request its fetchMarkets makes answered with a recorded body. */
export async function withRecordedMarkets<E extends Exchange>(exchange: E, method: string, answer: (params: Record<string, string>) => unknown): Promise<E> {
  (exchange as unknown as Record<string, unknown>)[method] = async (params: Record<string, string>) => answer(params);
  await exchange.loadMarkets();
  return exchange;
}

/** A websocket client that goes nowhere: ccxt pro's handlers only resolve the watches waiting on it. */
const RECORDED_CLIENT = { url: 'wss://recorded.invalid', subscriptions: {}, futures: {}, resolve: () => undefined, reject: () => undefined };

/**
 * What ccxt pro's user-stream handler makes of one recorded message: the orders and trades it puts
 * in its caches (`exchange.orders`, `exchange.myTrades`), which watchOrders / watchMyTrades return
 * and OwnStream reads. The caches are emptied first, so each message is judged alone.
 */
export function userStream(exchange: Exchange, message: unknown): { orders: Order[]; trades: Trade[] } {
  exchange.orders = undefined;
  exchange.myTrades = undefined;
  exchange.handleMessage(RECORDED_CLIENT, message);
  return { orders: [...((exchange.orders ?? []) as Order[])], trades: [...((exchange.myTrades ?? []) as Trade[])] };
}

export const ACCOUNT = { portfolio: 'pf', account: 'acct' } as const;

/**
 * One account of the venue's capability row on an in-process bus, with the connector's
 * OrderReporter and OwnFills: what they publish is encoded with the topics' schemas (LocalCodec
 * checks each message) and collected.
 */
export async function recordedAccount(ccxtId: string, exchange: Exchange) {
  const events: OrderEvent[] = [];
  const fills: Fill[] = [];
  const logger = createLogger('test', { level: 'silent' });
  const bus = new InProcessBus();
  const messages = new MessageBus(bus, new LocalCodec(), logger);
  await messages.prepare([TOPICS.orderEvents, TOPICS.fills]);
  await messages.subscribe({
    groupId: 'spy',
    topics: [TOPICS.orderEvents, TOPICS.fills],
    fromBeginning: true,
    handle: async (batch) => {
      for (const { topic, value } of batch) (topic === TOPICS.fills.name ? fills : events).push(value as never);
    },
  });
  const context: ConnectorContext = {
    exchange,
    capabilities: capabilitiesOf(ccxtId),
    venue: ccxtId,
    ...ACCOUNT,
    instruments: [],
    messages,
    logger,
    health: new VenueHealthMonitor(ccxtId, ACCOUNT.account, Date.now),
    now: () => 1_800_000_000_000,
  };
  const reporter = new OrderReporter(context, new TrackedOrders());
  const ownFills = new OwnFills(context, reporter);
  return {
    context,
    reporter,
    /**
     * Our order as the execution side sent it (our 32-hex client order id unless the test names the
     * recorded one), with the venue order id its create response gave when the test names one.
     */
    track(command: Partial<OrderCommand>, venueOrderId: string | null = null) {
      const order = reporter.orders.track(limitPlaceCommand({ venue: ccxtId, ...ACCOUNT, ...command }));
      reporter.orders.setVenueOrderId(order, venueOrderId);
      return order;
    },
    /** The OrderEvents a venue order (stream, REST list or lookup), or a reporter call, makes the connector publish. */
    async report(order: Order | (() => Promise<void>)): Promise<OrderEvent[]> {
      const before = events.length;
      await (typeof order === 'function' ? order() : reporter.venueOrder(order, 'VENUE'));
      await bus.settled();
      return events.slice(before);
    },
    /** The Fills our trades make the connector publish (each venue trade id once). */
    async publish(trades: readonly Trade[]): Promise<Fill[]> {
      const before = fills.length;
      await ownFills.publish(trades, 'VENUE');
      await bus.settled();
      return fills.slice(before);
    },
  };
}

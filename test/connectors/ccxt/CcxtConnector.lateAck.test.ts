import { Decimal, TOPICS, type OrderEvent } from '@crossvenue/schemas';
import { waitFor } from '@crossvenue/runtime/testing';
import { limitPlaceCommand } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { collectInto, connectorOnSimulatedVenue, quietConnector } from './connectorFixtures.ts';

/**
 * The race the embedded run hit with 10 ms venue latency: the user stream's FILLED arrives before
 * the create-order response (on Bybit an ids-only acknowledgement). Here the response is held
 * until the stream's FILLED has been published, so the late response always comes second.
 */
for (const dialect of ['binance', 'bybit'] as const) {
  describe(`CcxtConnector on a simulated ${dialect} venue: a create response after the stream's FILLED`, { timeout: 15_000 }, () => {
    const events: OrderEvent[] = [];
    const run = connectorOnSimulatedVenue({
      venue: { dialect, name: `late-ack-${dialect}` },
      subscribe: (messages) => collectInto(messages, TOPICS.orderEvents, events),
      connect: (exchange, messages) => {
        const createOrder = exchange.createOrder.bind(exchange);
        exchange.createOrder = async (...args: Parameters<typeof createOrder>) => {
          const response = await createOrder(...args);
          const clientOrderId = (args[5] as { clientOrderId?: string } | undefined)?.clientOrderId;
          await waitFor("the stream's FILLED first", () => events.some((e) => e.clientOrderId === clientOrderId && e.state === 'FILLED'), 5_000);
          return response;
        };
        return quietConnector({ exchange, venue: dialect, messages });
      },
    });

    it('publishes FILLED once and nothing after it: the late response only records the venue order id', async () => {
      const ask = run.venue.engine.depth('ETHUSDT', 1).asks[0]!;
      // A limit buy at the best ask for less than its size fills at once, entirely.
      const quantity = Decimal.min(ask.total, '0.225').toFixed();
      const command = limitPlaceCommand({ portfolio: 'pf', venue: dialect, account: 'acct', instrument: 'ETH/USDT', quantity, limitPrice: ask.price.toFixed() });
      await run.connector.handle(command);
      await new Promise((resolve) => setTimeout(resolve, 300)); // room for anything the late response might publish
      const published = events.filter((e) => e.clientOrderId === command.clientOrderId);
      expect(published.map((e) => `${e.previousState}->${e.state}`)).toEqual(['PENDING_NEW->PENDING_NEW', 'PENDING_NEW->FILLED']);
      expect(published.at(-1)).toMatchObject({ filledQuantity: quantity, remainingQuantity: '0', source: 'VENUE' });
      expect(published.at(-1)!.venueOrderId).not.toBeNull();
    });
  });
}

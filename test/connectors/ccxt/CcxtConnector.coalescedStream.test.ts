import { Decimal, TOPICS, type OrderEvent } from '@crossvenue/schemas';
import { waitFor } from '@crossvenue/runtime/testing';
import { limitPlaceCommand } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { collectInto, connectorOnSimulatedVenue, quietConnector } from './connectorFixtures.ts';

/** How long each order watch takes to be armed again: as long as a loaded machine took (CI). */
const REARM_DELAY_MS = 200;

/**
 * ccxt delivers a socket message to the watch waiting for it, and only to its cache when none is:
 * on a loaded machine the connector armed its next watch more than 10 ms after the last resolved,
 * and an order's FILLED, sent right after its PARTIALLY_FILLED, woke nobody. No later message
 * comes for a finished order, so the connector must read ccxt's cache, not only a watch's batch.
 * Here every watchOrders call waits REARM_DELAY_MS before it reaches ccxt.
 */
describe('CcxtConnector on a simulated bybit venue: an order update that arrives while no watch waits', { timeout: 15_000 }, () => {
  const events: OrderEvent[] = [];
  const run = connectorOnSimulatedVenue({
    venue: { dialect: 'bybit', name: 'unwatched-bybit' },
    subscribe: (messages) => collectInto(messages, TOPICS.orderEvents, events),
    connect: (exchange, messages) => {
      const watchOrders = exchange.watchOrders.bind(exchange);
      exchange.watchOrders = async (...args: Parameters<typeof watchOrders>) => {
        await new Promise((resolve) => setTimeout(resolve, REARM_DELAY_MS));
        return watchOrders(...args);
      };
      return quietConnector({ exchange, venue: 'bybit', messages });
    },
  });
  const eventsOf = (clientOrderId: string) => events.filter((e) => e.clientOrderId === clientOrderId);

  it('reports FILLED for an order that swept two levels, from the update ccxt only cached', async () => {
    const firstAsk = run.venue.engine.depth('ETHUSDT', 1).asks[0]!;
    const warmUp = limitPlaceCommand({ portfolio: 'pf', venue: 'bybit', account: 'acct', instrument: 'ETH/USDT', quantity: Decimal.min(firstAsk.total, '0.01').toFixed(), limitPrice: firstAsk.price.toFixed() });
    await run.connector.handle(warmUp);
    await waitFor('the user stream live (a first order FILLED)', () => eventsOf(warmUp.clientOrderId).at(-1)?.state === 'FILLED', 5_000);

    const [first, second] = run.venue.engine.depth('ETHUSDT', 2).asks;
    const quantity = first!.total.plus(second!.total.div(2)).toFixed();
    const sweep = limitPlaceCommand({ portfolio: 'pf', venue: 'bybit', account: 'acct', instrument: 'ETH/USDT', quantity, limitPrice: second!.price.toFixed() });
    await run.connector.handle(sweep);

    await waitFor('the sweep FILLED', () => eventsOf(sweep.clientOrderId).at(-1)?.state === 'FILLED', 5_000);
    await new Promise((resolve) => setTimeout(resolve, 2 * REARM_DELAY_MS)); // room for a second FILLED, which must not come
    const published = eventsOf(sweep.clientOrderId);
    expect(published.filter((e) => e.state === 'FILLED')).toHaveLength(1);
    expect(published.at(-1)).toMatchObject({ state: 'FILLED', source: 'VENUE', filledQuantity: quantity });
  });
});

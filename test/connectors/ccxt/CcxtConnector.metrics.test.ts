import { WorkerMetrics } from '@crossvenue/runtime';
import { Decimal, TOPICS, type Fill, type OrderEvent } from '@crossvenue/schemas';
import { metricValue, waitFor } from '@crossvenue/runtime/testing';
import { limitPlaceCommand } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { collectInto, connectorOnSimulatedVenue, quietConnector } from './connectorFixtures.ts';

/**
 * The connector's order and fill metrics as its worker serves them, against a simulated venue:
 * one order that fills, one the venue refuses (an outage), one whose acknowledgement is lost and
 * that a lookup resolves.
 */
describe('CcxtConnector metrics on a simulated binance venue', { timeout: 30_000 }, () => {
  const metrics = new WorkerMetrics('ccxt-connector');
  const events: OrderEvent[] = [];
  const fills: Fill[] = [];
  const run = connectorOnSimulatedVenue({
    venue: { dialect: 'binance', name: 'metrics-binance' },
    subscribe: async (messages) => {
      await collectInto(messages, TOPICS.orderEvents, events);
      await collectInto(messages, TOPICS.fills, fills);
    },
    connect: (exchange, messages) =>
      quietConnector({ exchange, venue: 'binance', messages, metrics: metrics.venueOrders('binance', 'acct'), execution: { notFoundGraceMs: 500, lookupRetryMs: 100 } }),
  });
  const counter = (name: string) => metricValue(metrics, name, { venue: 'binance', account: 'acct' });
  const answered = (outcome: string) => metricValue(metrics, 'crossvenue_order_ack_seconds_count', { venue: 'binance', outcome });
  const place = (quantity: string, limitPrice: string) =>
    limitPlaceCommand({ portfolio: 'pf', venue: 'binance', account: 'acct', instrument: 'ETH/USDT', quantity, limitPrice });

  it('counts orders sent, acknowledged, rejected and unknown, their acknowledgement latency, and fills', async () => {
    const ask = run.venue.engine.depth('ETHUSDT', 1).asks[0]!;
    const filling = place(Decimal.min(ask.total, '0.1').toFixed(), ask.price.toFixed());
    await run.connector.handle(filling);
    await waitFor('the fill', () => fills.some((fill) => fill.clientOrderId === filling.clientOrderId));
    await waitFor('the fill counted', async () => (await counter('crossvenue_fills_total')) === 1);
    expect(await counter('crossvenue_orders_sent_total')).toBe(1);
    expect(await counter('crossvenue_orders_acknowledged_total')).toBe(1);
    expect(await answered('acknowledged')).toBe(1);

    await run.venue.outage();
    await run.connector.handle(place('0.1', '3000'));
    await run.venue.recover();
    expect(await counter('crossvenue_orders_sent_total')).toBe(2);
    expect(await counter('crossvenue_orders_rejected_total')).toBe(1);
    expect(await answered('rejected')).toBe(1);

    run.venue.faults.set({ orderAckTimeouts: 1, orderAckTimeoutMode: 'destroy' });
    const lost = place('0.1', '3000');
    await run.connector.handle(lost);
    await waitFor('the lost ack resolved', () => events.some((e) => e.clientOrderId === lost.clientOrderId && e.state === 'NEW'));
    expect(events.filter((e) => e.clientOrderId === lost.clientOrderId).map((e) => e.state)).toContain('UNKNOWN');
    expect(await counter('crossvenue_orders_sent_total')).toBe(3);
    expect(await counter('crossvenue_orders_unknown_total')).toBe(1);
    expect(await counter('crossvenue_orders_acknowledged_total')).toBe(2);
    expect(await answered('acknowledged')).toBe(2);
    expect(await counter('crossvenue_orders_rejected_total')).toBe(1);
  });
});

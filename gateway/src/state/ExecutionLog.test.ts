import { TOPICS, type Fill, type OrderEvent } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { ExecutionLog } from './ExecutionLog.ts';

const exampleEvent = EXAMPLES.find((e) => e.schema === TOPICS.orderEvents.schema)!.value as OrderEvent;
const exampleFill = EXAMPLES.find((e) => e.schema === TOPICS.fills.schema)!.value as Fill;
const event = (state: OrderEvent['state']): OrderEvent => ({ ...exampleEvent, state });

describe('ExecutionLog', () => {
  it('lists an order as open or closed by its latest event, never both', () => {
    const log = new ExecutionLog();
    log.applyOrderEvent(event('NEW'));
    expect([log.openOrders().length, log.closedOrders(10).length]).toEqual([1, 0]);
    log.applyOrderEvent(event('FILLED'));
    expect([log.openOrders().length, log.closedOrders(10).map((o) => o.state)]).toEqual([0, ['FILLED']]);
    log.applyOrderEvent(event('NEW'));
    expect([log.openOrders().map((o) => o.state), log.closedOrders(10).length]).toEqual([['NEW'], 0]);
    expect([...log.history(exampleEvent.intentId)!.orders.values()].map((o) => o.state)).toEqual(['NEW']);
  });

  it('shows a redelivered fill once, in the recent fills and in its intent', () => {
    const log = new ExecutionLog();
    expect(log.applyFill(exampleFill)).toBe(true);
    expect(log.applyFill({ ...exampleFill, eventId: 'redelivered' })).toBe(false);
    expect(log.applyFill({ ...exampleFill, venueTradeId: 'another' })).toBe(true);
    expect(log.recentFills(10).map((fill) => fill.venueTradeId)).toEqual(['another', exampleFill.venueTradeId]);
    expect(log.history(exampleFill.intentId!)!.fills.size).toBe(2);
  });
});

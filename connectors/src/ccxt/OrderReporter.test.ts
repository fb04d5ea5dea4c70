import { TOPICS, type OrderEvent } from '@crossvenue/schemas';
import { limitPlaceCommand } from '@crossvenue/schemas/testing';
import type { Order } from 'ccxt';
import { beforeEach, describe, expect, it } from 'vitest';
import { OrderReporter } from './OrderReporter.ts';
import { bybitTestContext } from './testContext.ts';
import { TrackedOrders, type TrackedOrder } from './TrackedOrders.ts';

/** ccxt-shaped Bybit orders, as the stream, REST and the create response hand them over. */
const streamed = (status: string, filled: number, orderStatus: string): Order =>
  ({ id: 'v1', clientOrderId: 'c1', status, amount: 0.225, filled, remaining: 0.225 - filled, price: 3000, average: 3000, info: { orderStatus } }) as unknown as Order;
/** Bybit's create response: ids only, ccxt leaves status and filled empty and `remaining` at the amount. */
const idsOnlyAck = { id: 'v1', clientOrderId: 'c1', amount: 0.225, remaining: 0.225, info: { orderId: 'v1', orderLinkId: 'c1' } } as unknown as Order;

describe('OrderReporter: venue evidence never steps an order back', () => {
  let events: OrderEvent[];
  let reporter: OrderReporter;
  let order: TrackedOrder;

  beforeEach(async () => {
    const { context, published: collected } = await bybitTestContext(TOPICS.orderEvents, 'pf');
    events = collected as OrderEvent[];
    reporter = new OrderReporter(context, new TrackedOrders());
    order = reporter.orders.track({ ...limitPlaceCommand({ portfolio: 'pf', venue: 'bybit', account: 'acct', instrument: 'ETH/USDT', quantity: '0.225', limitPrice: '3000' }), clientOrderId: 'c1' });
  });

  const published = () => events.map((e) => `${e.previousState}->${e.state} ${e.event} filled ${e.filledQuantity} remaining ${e.remainingQuantity}`);

  it('an ids-only create response after the stream FILLED the order only records the venue order id', async () => {
    await reporter.venueOrder({ ...streamed('closed', 0.225, 'Filled'), id: undefined } as unknown as Order, 'VENUE');
    await reporter.evidence(order, idsOnlyAck, 'VENUE', { repeat: false });
    expect(published()).toEqual(['PENDING_NEW->FILLED FILLED filled 0.225 remaining 0']);
    expect(reporter.orders.byVenueOrderId('v1')).toBe(order);
  });

  it('nothing moves a finished order, not even a lookup that repeats on purpose', async () => {
    await reporter.venueOrder(streamed('canceled', 0.1, 'PartiallyFilledCanceled'), 'VENUE');
    await reporter.evidence(order, streamed('open', 0.1, 'PartiallyFilled'), 'RECONCILIATION', { repeat: true });
    await reporter.venueOrder(streamed('canceled', 0.1, 'PartiallyFilledCanceled'), 'RECONCILIATION');
    expect(published()).toEqual(['PENDING_NEW->CANCELED CANCELED filled 0.1 remaining 0']);
  });

  it('a lower filled quantity than already reported is older evidence; remaining comes from quantity - filled', async () => {
    await reporter.venueOrder(streamed('open', 0.2, 'PartiallyFilled'), 'VENUE');
    await reporter.venueOrder(streamed('open', 0.1, 'PartiallyFilled'), 'RECONCILIATION');
    await reporter.venueOrder({ ...streamed('open', 0.2, 'PartiallyFilled'), remaining: 0.225 } as Order, 'RECONCILIATION');
    expect(published()).toEqual(['PENDING_NEW->PARTIALLY_FILLED PARTIALLY_FILLED filled 0.2 remaining 0.025']);
  });

  it('evidence arriving concurrently (stream and create response) is judged against what was said first', async () => {
    await Promise.all([
      reporter.venueOrder(streamed('open', 0, 'New'), 'VENUE'),
      reporter.evidence(order, idsOnlyAck, 'VENUE', { repeat: false }),
      reporter.venueOrder(streamed('closed', 0.225, 'Filled'), 'VENUE'),
    ]);
    expect(published()).toEqual(['PENDING_NEW->NEW ACCEPTED filled 0 remaining 0.225', 'NEW->FILLED FILLED filled 0.225 remaining 0']);
  });

  it('an ids-only acknowledgement is news while the order is PENDING_NEW, and not after NEW', async () => {
    await reporter.evidence(order, idsOnlyAck, 'VENUE', { repeat: false });
    await reporter.venueOrder(streamed('open', 0, 'New'), 'VENUE');
    await reporter.evidence(order, idsOnlyAck, 'RECONCILIATION', { repeat: true });
    expect(published()).toEqual(['PENDING_NEW->NEW ACCEPTED filled 0 remaining 0.225']);
    expect(events[0]).toMatchObject({ rawVenueStatus: 'ACKNOWLEDGED', venueOrderId: 'v1' });
  });
});

import { BusUnavailableError, type MessageBus } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { TOPICS, type Fill, type TopicDefinition } from '@crossvenue/schemas';
import { limitPlaceCommand } from '@crossvenue/schemas/testing';
import type { Trade } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { OrderReporter } from './OrderReporter.ts';
import { OwnFills } from './OwnFills.ts';
import { bybitTestContext } from './testContext.ts';
import { TrackedOrders } from './TrackedOrders.ts';

/** A ccxt-shaped Bybit trade of venue order `order`; `orderLinkId` is our client order id when the venue says it. */
const trade = (id: string, order: string, orderLinkId?: string): Trade =>
  ({ id, order, symbol: 'ETH/USDT', side: 'buy', price: 3000, amount: 0.1, timestamp: 1_700_000_000_000, takerOrMaker: 'taker', fee: { cost: 0.3, currency: 'USDT' }, info: { orderLinkId } }) as unknown as Trade;

describe('OwnFills: the portfolio a fill goes to', () => {
  it('is the order\'s for a tracked order, found by client or venue order id; the account\'s for an order placed outside Crossvenue', async () => {
    const { context, published } = await bybitTestContext(TOPICS.fills, 'account-pf');
    const fills = published as Fill[];
    const reporter = new OrderReporter(context, new TrackedOrders());
    // Orders whose command names a portfolio other than the account's: an order adopted from the account's former portfolio.
    const command = (clientOrderId: string) => ({ ...limitPlaceCommand({ portfolio: 'order-pf', venue: 'bybit', account: 'acct', instrument: 'ETH/USDT' }), clientOrderId });
    reporter.orders.track(command('c1'));
    reporter.orders.setVenueOrderId(reporter.orders.track(command('c2')), 'v2');

    await new OwnFills(context, reporter).publish([trade('t1', 'v1', 'c1'), trade('t2', 'v2'), trade('t3', 'v3', 'placed-by-hand')], 'VENUE');
    await waitFor('the fills', () => fills.length === 3, 2_000);

    expect(fills.map((f) => [f.venueTradeId, f.clientOrderId, f.portfolio])).toEqual([
      ['t1', 'c1', 'order-pf'],
      ['t2', 'c2', 'order-pf'],
      ['t3', 'placed-by-hand', 'account-pf'],
    ]);
  });
});

describe('OwnFills after a restart', () => {
  it('publishes no trade an earlier run already put on the fills topic, and catches up from the newest of them', async () => {
    const { context, published } = await bybitTestContext(TOPICS.fills, 'pf');
    const fills = published as Fill[];
    const earlier = new OwnFills(context, new OrderReporter(context, new TrackedOrders()));
    await earlier.publish([trade('t1', 'v1'), trade('t2', 'v2')], 'VENUE');
    await waitFor('the earlier run\'s fills', () => fills.length === 2, 2_000);
    // The same venue trade id on another account of the portfolio is another trade.
    await context.messages.publish(TOPICS.fills, [{ ...fills[0]!, eventId: 'other-account', account: 'other', venueTradeId: 't3' }]);
    await waitFor('the other account\'s fill', () => fills.length === 3, 2_000);

    const restarted = new OwnFills(context, new OrderReporter(context, new TrackedOrders()));
    expect(await restarted.recall(1_700_000_000_000 - 600_000)).toBe(2);
    expect(restarted.catchUpFromMs('ETH/USDT', 0)).toBe(1_700_000_000_000);
    // The first catch-up lists the account's trades of its window: only the one never published goes out.
    expect(await restarted.publish([trade('t1', 'v1'), trade('t2', 'v2'), trade('t3', 'v3')], 'RECONCILIATION')).toBe(1);
    await waitFor('the catch-up\'s fill', () => fills.length === 4, 2_000);
    expect(fills.map((f) => [f.account, f.venueTradeId, f.source])).toEqual([
      ['acct', 't1', 'VENUE'],
      ['acct', 't2', 'VENUE'],
      ['other', 't3', 'VENUE'],
      ['acct', 't3', 'RECONCILIATION'],
    ]);
  });
});

describe('OwnFills when Kafka does not take them', () => {
  it('publishes the same trades when they are seen again: a failed publication does not count them as published', async () => {
    const { context: base, published } = await bybitTestContext(TOPICS.fills, 'pf');
    let away = true;
    const messages = {
      publish: async (topic: TopicDefinition, values: Fill[]) => {
        if (away) throw new BusUnavailableError('Kafka did not take 2 records: Connection error: connect ECONNREFUSED');
        await base.messages.publish(topic, values as never[]);
      },
    } as unknown as MessageBus;
    const context = { ...base, messages };
    const fills = new OwnFills(context, new OrderReporter(context, new TrackedOrders()));
    await expect(fills.publish([trade('t1', 'v1'), trade('t2', 'v2')], 'VENUE')).rejects.toThrow(BusUnavailableError);
    away = false;
    expect(await fills.publish([trade('t1', 'v1'), trade('t2', 'v2')], 'VENUE')).toBe(2);
    await waitFor('the fills', () => published.length === 2, 2_000);
    expect((published as Fill[]).map((fill) => fill.venueTradeId)).toEqual(['t1', 't2']);
  });
});

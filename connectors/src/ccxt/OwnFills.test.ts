import { waitFor } from '@crossvenue/runtime/testing';
import { TOPICS, type Fill } from '@crossvenue/schemas';
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

import { TOPICS } from '@crossvenue/schemas';
import type { Exchange, Order } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { capabilitiesOf } from '../venues/capabilitiesOf.ts';
import { lookupOrder } from './lookupOrder.ts';
import { bybitTestContext } from './testContext.ts';

const OURS = '0123456789abcdef0123456789abcdef';

/** A connector context on `ccxtId`'s row whose ccxt client answers from these lists and records each call. */
async function contextOn(ccxtId: string, lists: { open?: Order[]; closed?: Order[]; fetched?: Order }) {
  const calls: Array<[string, unknown]> = [];
  const exchange = {
    id: ccxtId,
    fetchOrder: async (_id: string, _symbol: string, params: unknown) => (calls.push(['fetchOrder', params]), lists.fetched!),
    fetchOpenOrders: async (_symbol: string, _since: unknown, _limit: unknown, params: unknown) => (calls.push(['fetchOpenOrders', params]), lists.open ?? []),
    fetchClosedOrders: async (_symbol: string, _since: unknown, _limit: unknown, params: unknown) => (calls.push(['fetchClosedOrders', params]), lists.closed ?? []),
  } as unknown as Exchange;
  const { context } = await bybitTestContext(TOPICS.orderEvents, 'pf');
  return { context: { ...context, exchange, capabilities: capabilitiesOf(ccxtId) }, calls };
}

const venueOrder = (clientOrderId: string) => ({ id: 'V1', clientOrderId, status: 'closed', info: {} }) as Order;

describe('lookupOrder', () => {
  it("asks Hyperliquid by its cloid form of our id", async () => {
    const { context, calls } = await contextOn('hyperliquid', { fetched: venueOrder(`0x${OURS}`) });
    expect(await lookupOrder(context, 'BTC/USDC:USDC', OURS)).toMatchObject({ kind: 'found', order: { id: 'V1' } });
    expect(calls).toEqual([['fetchOrder', { clientOrderId: `0x${OURS}` }]]);
  });

  it('reads the open, then the closed orders of Kraken filtered by cl_ord_id; both empty is not found', async () => {
    const found = await contextOn('kraken', { closed: [venueOrder(OURS)] });
    expect(await lookupOrder(found.context, 'BTC/USD', OURS)).toMatchObject({ kind: 'found', order: { clientOrderId: OURS } });
    expect(found.calls).toEqual([['fetchOpenOrders', { clientOrderId: OURS }], ['fetchClosedOrders', { clientOrderId: OURS }]]);
    const absent = await contextOn('kraken', {});
    expect(await lookupOrder(absent.context, 'BTC/USD', OURS)).toEqual({ kind: 'not-found' });
  });

  it('gives no answer on Coinbase, which cannot be asked by client order id, and sends nothing', async () => {
    const { context, calls } = await contextOn('coinbase', {});
    expect(await lookupOrder(context, 'BTC/USD', OURS)).toEqual({ kind: 'unknown', reason: 'Coinbase Advanced Trade gets and cancels orders by its own order id only' });
    expect(calls).toEqual([]);
  });
});

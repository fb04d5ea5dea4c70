import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ccxtClientFor } from '@crossvenue/connectors';
import type { SimulatedVenue, VenueEndpoints } from '@crossvenue/simulator';
import { startTestVenue } from '@crossvenue/simulator/testing';

describe('the real ccxt binance classes against the simulated Binance venue', () => {
  let venue: SimulatedVenue;
  let endpoints: VenueEndpoints;
  let exchange: ReturnType<typeof ccxtClientFor>;

  beforeAll(async () => {
    ({ venue, endpoints } = await startTestVenue());
    exchange = ccxtClientFor(endpoints);
    await exchange.loadMarkets();
  });

  afterAll(async () => {
    await exchange.close();
    await venue.stop();
  });

  it('loads markets with the venue filters', () => {
    const market = exchange.market('BTC/USDT');
    expect(market.id).toBe('BTCUSDT');
    expect(market.precision.price).toBe(0.01);
    expect(market.limits.cost?.min).toBe(5);
  });

  it('fetches the order book and balances', async () => {
    const book = await exchange.fetchOrderBook('BTC/USDT', 5);
    expect(book.bids[0]).toEqual([63999.99, 0.25]);
    expect(book.asks[0]).toEqual([64000.01, 0.25]);
    const balance = await exchange.fetchBalance();
    expect(balance['USDT']).toEqual({ free: 100000, used: 0, total: 100000 });
  });

  it('places, queries, edits and cancels a resting order; balances lock and unlock', async () => {
    const placed = await exchange.createOrder('ETH/USDT', 'limit', 'buy', 1, 3000, { clientOrderId: 'leg-1' });
    expect(placed.status).toBe('open');
    expect((await exchange.fetchBalance())['USDT']?.used).toBe(3000);
    const byClientId = await exchange.fetchOrder('', 'ETH/USDT', { origClientOrderId: 'leg-1' });
    expect(byClientId.id).toBe(placed.id);
    const edited = await exchange.editOrder(placed.id!, 'ETH/USDT', 'limit', 'buy', 2, 2900);
    expect(edited.id).not.toBe(placed.id);
    expect(edited.amount).toBe(2);
    expect((await exchange.fetchOpenOrders('ETH/USDT')).map((o) => o.id)).toEqual([edited.id]);
    const cancelled = await exchange.cancelOrder(edited.id!, 'ETH/USDT');
    expect(cancelled.status).toBe('canceled');
    expect((await exchange.fetchBalance())['USDT']?.used).toBe(0);
  });

  it('fills a market order across levels with taker fees and lists own trades', async () => {
    const order = await exchange.createOrder('BTC/USDT', 'market', 'buy', 0.5);
    expect(order.status).toBe('closed');
    expect(order.filled).toBe(0.5);
    // 0.25 at 64000.01 and 0.25 at 64000.02
    expect(order.cost).toBeCloseTo(32000.0075, 6);
    const trades = await exchange.fetchMyTrades('BTC/USDT');
    expect(trades.map((t) => [t.price, t.amount, t.side, t.takerOrMaker, t.fee?.currency])).toEqual([
      [64000.01, 0.25, 'buy', 'taker', 'BTC'],
      [64000.02, 0.25, 'buy', 'taker', 'BTC'],
    ]);
    expect(trades[0]!.fee?.cost).toBe(0.0005);
  });

  it('rejects with Binance errors that ccxt maps to its own classes', async () => {
    await expect(exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 1.001)).rejects.toThrow(/-1013|PRICE_FILTER|price/i);
    await expect(exchange.createOrder('BTC/USDT', 'limit', 'buy', 100, 60000)).rejects.toThrow(/insufficient/i);
    await expect(exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 64001, { postOnly: true })).rejects.toThrow(/immediately match/);
    await expect(exchange.cancelOrder('999999', 'BTC/USDT')).rejects.toThrow(/Unknown order/);
    await expect(exchange.fetchOrder('999999', 'BTC/USDT')).rejects.toThrow(/does not exist/);
  });

  it('watches the order book and keeps it in sync with the diff stream', async () => {
    const first = await exchange.watchOrderBook('SOL/USDT');
    expect(first.bids[0]![0]).toBe(144.99);
    const other = ccxtClientFor(endpoints);
    await other.loadMarkets();
    await other.createOrder('SOL/USDT', 'limit', 'sell', 7, 144.995 + 0.005);
    let book = await exchange.watchOrderBook('SOL/USDT');
    while (book.asks[0]![0] !== 145) book = await exchange.watchOrderBook('SOL/USDT');
    expect(book.asks[0]).toEqual([145, 7]);
    await other.close();
  });

  it('watches public trades', async () => {
    const watching = exchange.watchTrades('ETH/USDT');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await exchange.createOrder('ETH/USDT', 'market', 'buy', 0.2, undefined, { marketUnit: 'baseCoin' });
    const trades = await watching;
    expect(trades.at(-1)).toMatchObject({ symbol: 'ETH/USDT', price: 3100.01, amount: 0.2, side: 'buy' });
  });

  it('watches own orders over the WebSocket API user data stream', async () => {
    const watching = exchange.watchOrders('ETH/USDT');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const placed = await exchange.createOrder('ETH/USDT', 'limit', 'sell', 0.5, 3200);
    const orders = await watching;
    expect(orders.at(-1)?.id).toBe(placed.id);
    await exchange.cancelOrder(placed.id!, 'ETH/USDT');
  });
});

import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ccxtClientFor } from '@crossvenue/connectors';
import type { SimulatedVenue, VenueEndpoints } from '@crossvenue/simulator';
import { startTestVenue } from '@crossvenue/simulator/testing';

describe('the real ccxt bybit classes against the simulated Bybit v5 venue', () => {
  let venue: SimulatedVenue;
  let endpoints: VenueEndpoints;
  let exchange: ReturnType<typeof ccxtClientFor>;

  beforeAll(async () => {
    ({ venue, endpoints } = await startTestVenue({ dialect: 'bybit', name: 'sim-bybit-test' }));
    exchange = ccxtClientFor(endpoints);
    await exchange.loadMarkets();
  });

  afterAll(async () => {
    await exchange.close();
    await venue.stop();
  });

  it('loads spot markets with the venue filters', () => {
    const market = exchange.market('BTC/USDT');
    expect([market.id, market.spot, market.precision.price, market.precision.amount, market.limits.amount?.min]).toEqual(['BTCUSDT', true, 0.01, 0.00001, 0.00001]);
  });

  it('fetches the order book and the unified wallet balance', async () => {
    const book = await exchange.fetchOrderBook('BTC/USDT', 5);
    expect(book.bids[0]).toEqual([63999.99, 0.25]);
    expect(book.asks.length).toBe(5);
    const balance = await exchange.fetchBalance();
    expect(balance['USDT']).toMatchObject({ free: 100000, used: 0, total: 100000 });
  });

  it('places, queries, amends in place and cancels an order', async () => {
    const placed = await exchange.createOrder('ETH/USDT', 'limit', 'buy', 1, 3000, { clientOrderId: 'bybit-leg-1' });
    const open = await exchange.fetchOpenOrder(placed.id!, 'ETH/USDT');
    expect([open.status, open.amount, open.price, open.clientOrderId]).toEqual(['open', 1, 3000, 'bybit-leg-1']);
    const edited = await exchange.editOrder(placed.id!, 'ETH/USDT', 'limit', 'buy', 0.5, 3000);
    expect(edited.id).toBe(placed.id);
    const after = await exchange.fetchOpenOrder(placed.id!, 'ETH/USDT');
    expect(after.amount).toBe(0.5);
    expect((await exchange.fetchBalance())['USDT']?.used).toBe(1500);
    await exchange.cancelOrder(placed.id!, 'ETH/USDT');
    expect((await exchange.fetchClosedOrder(placed.id!, 'ETH/USDT')).status).toBe('canceled');
    expect(await exchange.fetchOpenOrders('ETH/USDT')).toHaveLength(0);
  });

  it('fills a market order and lists own trades with fees', async () => {
    await exchange.createOrder('BTC/USDT', 'market', 'sell', 0.3);
    const trades = await exchange.fetchMyTrades('BTC/USDT');
    expect(trades.map((t) => [t.price, t.amount, t.side, t.takerOrMaker]).sort()).toEqual([
      [63999.98, 0.05, 'sell', 'taker'],
      [63999.99, 0.25, 'sell', 'taker'],
    ]);
    expect(trades.find((t) => t.price === 63999.99)?.fee).toMatchObject({ currency: 'USDT' });
    const [order] = await exchange.fetchClosedOrders('BTC/USDT');
    // 0.3 BTC sold for 19199.9965 USDT, less the 0.2% taker fee
    expect([order?.status, order?.filled, order?.fee?.currency, order?.fee?.cost]).toEqual(['closed', 0.3, 'USDT', 38.399993]);
  });

  it('rejects with Bybit retCodes that ccxt maps to its own classes', async () => {
    await expect(exchange.createOrder('BTC/USDT', 'limit', 'buy', 100, 60000)).rejects.toBeInstanceOf(ccxt.InsufficientFunds);
    await expect(exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 64001, { postOnly: true })).rejects.toBeInstanceOf(ccxt.InvalidOrder);
    await expect(exchange.cancelOrder('999999', 'BTC/USDT')).rejects.toBeInstanceOf(ccxt.OrderNotFound);
    const stranger = ccxtClientFor({ ...endpoints, accounts: [{ apiKey: 'unknown', secret: 'nope' }] });
    await expect(stranger.fetchBalance()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
  });

  it('watches the order book: snapshot, then deltas', async () => {
    const first = await exchange.watchOrderBook('SOL/USDT');
    expect(first.bids[0]).toEqual([144.99, 20]);
    await exchange.createOrder('SOL/USDT', 'limit', 'sell', 7, 145);
    let book = await exchange.watchOrderBook('SOL/USDT');
    while (book.asks[0]![0] !== 145) book = await exchange.watchOrderBook('SOL/USDT');
    expect(book.asks[0]).toEqual([145, 7]);
  });

  it('watches public trades', async () => {
    const watching = exchange.watchTrades('ETH/USDT');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await exchange.createOrder('ETH/USDT', 'market', 'buy', 0.2, undefined, { marketUnit: 'baseCoin' });
    const trades = await watching;
    expect(trades.at(-1)).toMatchObject({ symbol: 'ETH/USDT', price: 3100.01, amount: 0.2, side: 'buy' });
  });

  it('watches own orders and fills on the private stream', async () => {
    const orders = exchange.watchOrders('ETH/USDT');
    const trades = exchange.watchMyTrades('ETH/USDT');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const placed = await exchange.createOrder('ETH/USDT', 'market', 'buy', 0.1, undefined, { marketUnit: 'baseCoin' });
    expect((await orders).at(-1)?.id).toBe(placed.id);
    expect((await trades).at(-1)?.order).toBe(placed.id);
  });
});

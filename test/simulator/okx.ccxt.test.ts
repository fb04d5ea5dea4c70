import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ccxtClientFor } from '@crossvenue/connectors';
import type { SimulatedVenue, VenueEndpoints } from '@crossvenue/simulator';
import { startTestVenue } from '@crossvenue/simulator/testing';

/**
 * The real ccxt.pro okx class against the simulated OKX v5 venue, with ccxt's default options: only
 * its URLs point at the venue and the credentials (key, secret, passphrase) are set.
 */
describe('the real ccxt okx class against the simulated OKX v5 venue', () => {
  let venue: SimulatedVenue;
  let endpoints: VenueEndpoints;
  let exchange: ReturnType<typeof ccxtClientFor>;

  beforeAll(async () => {
    ({ venue, endpoints } = await startTestVenue({ dialect: 'okx', name: 'sim-okx-test' }));
    exchange = ccxtClientFor(endpoints);
    await exchange.loadMarkets();
  });

  afterAll(async () => {
    await exchange.close();
    await venue.stop();
  });

  it('loads the spot instruments with their tick and lot', () => {
    const market = exchange.market('BTC/USDT');
    expect([market.id, market.spot, market.precision.price, market.precision.amount, market.limits.amount?.min]).toEqual(['BTC-USDT', true, 0.01, 0.00001, 0.00001]);
    expect(exchange.symbols.filter((symbol) => symbol.includes(':'))).toEqual([]);
  });

  it('places a limit order with a client order id, finds it by that id, cancels it and sees the cancel', async () => {
    const placed = await exchange.createOrder('ETH/USDT', 'limit', 'buy', 1, 3000, { clientOrderId: 'okxLeg1' });
    const open = await exchange.fetchOrder('', 'ETH/USDT', { clOrdId: 'okxLeg1' });
    expect([open.id, open.status, open.amount, open.price, open.clientOrderId]).toEqual([placed.id, 'open', 1, 3000, 'okxLeg1']);
    expect((await exchange.fetchBalance())['USDT']).toMatchObject({ used: 3000, total: 100000 });
    await exchange.cancelOrder('', 'ETH/USDT', { clOrdId: 'okxLeg1' });
    const canceled = await exchange.fetchOrder('', 'ETH/USDT', { clOrdId: 'okxLeg1' });
    expect([canceled.id, canceled.status, canceled.info.state]).toEqual([placed.id, 'canceled', 'canceled']);
    expect(await exchange.fetchOpenOrders('ETH/USDT')).toEqual([]);
  });

  it('fills a market order and lists own trades with their fees', async () => {
    const placed = await exchange.createOrder('BTC/USDT', 'market', 'sell', 0.3);
    const trades = await exchange.fetchMyTrades('BTC/USDT');
    expect(trades.map((t) => [t.order, t.price, t.amount, t.side, t.takerOrMaker]).sort()).toEqual([
      [placed.id, 63999.98, 0.05, 'sell', 'taker'],
      [placed.id, 63999.99, 0.25, 'sell', 'taker'],
    ]);
    const order = await exchange.fetchOrder(placed.id!, 'BTC/USDT');
    // 0.3 BTC sold for 19199.9965 USDT, less the 0.2% taker fee
    expect([order.status, order.filled, order.fee?.currency, order.fee?.cost]).toEqual(['closed', 0.3, 'USDT', 38.399993]);
  });

  it('amends an order in place', async () => {
    const placed = await exchange.createOrder('ETH/USDT', 'limit', 'buy', 1, 3000, { clientOrderId: 'okxAmend1' });
    await exchange.editOrder(placed.id!, 'ETH/USDT', 'limit', 'buy', 0.5, 3001);
    const amended = await exchange.fetchOrder(placed.id!, 'ETH/USDT');
    expect([amended.amount, amended.price, amended.clientOrderId]).toEqual([0.5, 3001, 'okxAmend1']);
    await exchange.cancelOrder(placed.id!, 'ETH/USDT');
  });

  it('refuses with OKX codes that ccxt maps to its own classes', async () => {
    await expect(exchange.createOrder('BTC/USDT', 'limit', 'buy', 100, 60000)).rejects.toBeInstanceOf(ccxt.InsufficientFunds);
    await expect(exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000, { clientOrderId: 'bad-id' })).rejects.toBeInstanceOf(ccxt.BadRequest);
    await expect(exchange.cancelOrder('999999', 'BTC/USDT')).rejects.toBeInstanceOf(ccxt.OrderNotFound);
    await expect(exchange.fetchOrder('999999', 'BTC/USDT')).rejects.toBeInstanceOf(ccxt.OrderNotFound);
    const [account] = endpoints.accounts;
    const wrongPassphrase = ccxtClientFor({ ...endpoints, accounts: [{ ...account, passphrase: 'wrong' }] });
    await expect(wrongPassphrase.fetchBalance()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
  });

  it('watches the order book: snapshot, then updates chained by seqId', async () => {
    const first = await exchange.watchOrderBook('SOL/USDT');
    expect(first.bids[0]).toEqual([144.99, 20]);
    await exchange.createOrder('SOL/USDT', 'limit', 'sell', 7, 145);
    let book = await exchange.watchOrderBook('SOL/USDT');
    while (book.asks[0]![0] !== 145) book = await exchange.watchOrderBook('SOL/USDT');
    expect(book.asks[0]).toEqual([145, 7]);
  });

  it('watches the balances an order locks on the account channel', async () => {
    const balance = exchange.watchBalance();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const placed = await exchange.createOrder('BTC/USDT', 'limit', 'sell', 0.5, 70000);
    expect((await balance)['BTC']).toMatchObject({ used: 0.5 });
    await exchange.cancelOrder(placed.id!, 'BTC/USDT');
  });

  it('watches own orders and fills on the private stream after a passphrase login', async () => {
    const orders = exchange.watchOrders();
    const trades = exchange.watchMyTrades();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const placed = await exchange.createOrder('ETH/USDT', 'market', 'buy', 0.1, undefined, { clientOrderId: 'okxStream1' });
    expect((await orders).at(-1)).toMatchObject({ id: placed.id, clientOrderId: 'okxStream1' });
    const streamed = (await trades).at(-1);
    expect(streamed).toMatchObject({ order: placed.id, symbol: 'ETH/USDT', amount: 0.1, price: 3100.01, takerOrMaker: 'taker' });
    // OKX writes a charged fee negative. ccxt 4.5.84's okx turns it positive in fetchMyTrades but
    // passes the stream's `fillFee` through as it is: the same fill, two signs. Red here when ccxt
    // changes either; until then a consumer of both paths must not take the sign from ccxt.
    const listed = (await exchange.fetchMyTrades('ETH/USDT')).find((trade) => trade.id === streamed?.id);
    expect([streamed?.fee, listed?.fee]).toEqual([
      { cost: -0.0002, currency: 'ETH' },
      { cost: 0.0002, currency: 'ETH' },
    ]);
  });
});

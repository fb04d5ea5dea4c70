import ccxt from 'ccxt';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@crossvenue/runtime/testing';
import { ccxtClientFor } from '@crossvenue/connectors';
import type { SimulatedVenue, VenueEndpoints } from '@crossvenue/simulator';
import { startTestVenue } from '@crossvenue/simulator/testing';

const BTC = 'BTC/USDT:USDT';
const TAKER = '0.0005';
const FUNDING_RATE = '0.0001';

/**
 * The real ccxt.pro binanceusdm class against the simulated Binance USD-M venue, with ccxt's default
 * options: only its URLs point at the venue (and the spot-wallet currency list is off) and the
 * credentials are set. The book is still: BTCUSDT bids from 63999.9 and asks from 64000.1, 2 each
 * at the top, so the mark price (the mid) is 64000.
 */
describe('the real ccxt binanceusdm class against the simulated Binance USD-M venue', () => {
  let venue: SimulatedVenue;
  let endpoints: VenueEndpoints;
  let exchange: ReturnType<typeof ccxtClientFor>;

  beforeAll(async () => {
    ({ venue, endpoints } = await startTestVenue({ dialect: 'binanceusdm', name: 'sim-usdm-test', fees: { maker: '0.0002', taker: TAKER }, fundingIntervalMs: 200 }));
    venue.setFundingRate('BTCUSDT', FUNDING_RATE);
    exchange = ccxtClientFor(endpoints);
    await exchange.loadMarkets();
  });

  afterAll(async () => {
    await exchange.close();
    await venue.stop();
  });

  it('loads the perpetuals as linear swaps settled in USDT', () => {
    const market = exchange.market(BTC);
    expect([market.id, market.type, market.linear, market.settle, market.contractSize, market.precision.price, market.precision.amount, market.limits.cost?.min]).toEqual([
      'BTCUSDT', 'swap', true, 'USDT', 1, 0.1, 0.001, 100,
    ]);
    expect(exchange.symbols).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT']);
  });

  it('sets the leverage and margin mode, places a limit order with a client order id and finds it by that id', async () => {
    expect(await exchange.setLeverage(10, BTC)).toMatchObject({ leverage: 10, symbol: 'BTCUSDT' });
    await exchange.setMarginMode('isolated', BTC);
    await expect(exchange.setLeverage(126, BTC)).rejects.toBeInstanceOf(ccxt.ExchangeError);
    const placed = await exchange.createOrder(BTC, 'limit', 'buy', 0.01, 60000, { clientOrderId: 'usdmLeg1' });
    const found = await exchange.fetchOrder('', BTC, { clientOrderId: 'usdmLeg1' });
    expect([found.id, found.status, found.amount, found.price, found.clientOrderId, found.reduceOnly]).toEqual([placed.id, 'open', 0.01, 60000, 'usdmLeg1', false]);
    await exchange.cancelOrder(placed.id!, BTC);
    expect(await exchange.fetchOpenOrders(BTC)).toEqual([]);
  });

  it('opens a position with a market order and reads it from fetchPositions', async () => {
    const placed = await exchange.createOrder(BTC, 'market', 'buy', 0.01);
    expect([placed.status, placed.filled, placed.average]).toEqual(['closed', 0.01, 64000.1]);
    const [position] = await exchange.fetchPositions([BTC]);
    // Isolated: the wallet is the initial margin 0.01 × 64000.1 / 10 = 64.0001, and
    // LP = (64.0001 − 0.01 × 64000.1) / (0.01 × 0.004 − 0.01) = 57831.41566265 (8 places).
    expect(position).toMatchObject({ symbol: BTC, side: 'long', contracts: 0.01, entryPrice: 64000.1, markPrice: 64000, unrealizedPnl: -0.001, initialMargin: 64.0001, liquidationPrice: 57831.41566265, marginMode: 'isolated' });
    // USD-M's v3 positionRisk has no leverage; its v2 shape has.
    const [v2] = await exchange.fetchPositions([BTC], { useV2: true });
    expect([v2!.leverage, v2!.marginMode, v2!.contracts]).toEqual([10, 'isolated', 0.01]);
  });

  it('refuses a reduce-only order that would increase the position, and an order beyond the margin', async () => {
    await expect(exchange.createOrder(BTC, 'market', 'buy', 0.01, undefined, { reduceOnly: true })).rejects.toBeInstanceOf(ccxt.InvalidOrder);
    await expect(exchange.createOrder(BTC, 'market', 'sell', 0.02, undefined, { reduceOnly: true })).rejects.toThrow('ReduceOnly Order is rejected.');
    // 20 BTC at 64000 / 10 needs 128000 USDT of margin.
    await expect(exchange.createOrder(BTC, 'limit', 'buy', 20, 63000)).rejects.toBeInstanceOf(ccxt.InsufficientFunds);
  });

  it('pays funding every interval: position × mark × rate, debited from a long', async () => {
    await waitFor('two funding payments', async () => (await exchange.fetchFundingHistory(BTC)).length >= 2);
    const payments = await exchange.fetchFundingHistory(BTC);
    // 0.01 × 64000 × 0.0001 = 0.064, paid by the long.
    expect(payments.slice(0, 2).map((p) => [p.symbol, p.code, p.amount])).toEqual([
      [BTC, 'USDT', -0.064],
      [BTC, 'USDT', -0.064],
    ]);
    expect(new Set(payments.map((p) => p.id)).size).toBe(payments.length);
    const rate = await exchange.fetchFundingRate(BTC);
    expect([rate.fundingRate, rate.markPrice]).toEqual([0.0001, 64000]);
    const history = await exchange.fetchFundingRateHistory(BTC);
    expect(history.length).toBeGreaterThanOrEqual(2);
    expect(new Set(history.map((h) => h.fundingRate))).toEqual(new Set([0.0001]));
  });

  it('closes the position with a reduce-only market order: the wallet takes the price move less fees, and the funding paid', async () => {
    await exchange.createOrder(BTC, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
    expect(await exchange.fetchPositions([BTC])).toEqual([]);
    const funding = (await exchange.fetchFundingHistory(BTC)).reduce((sum, p) => sum.plus(p.info.income as string), new Decimal(0));
    const move = new Decimal('63999.9').minus('64000.1').times('0.01');
    const fees = new Decimal('0.01').times('64000.1').plus(new Decimal('0.01').times('63999.9')).times(TAKER);
    const balance = await exchange.fetchBalance();
    expect(balance['USDT']).toMatchObject({ total: new Decimal('100000').plus(move).minus(fees).plus(funding).toNumber(), used: 0 });
    const trades = await exchange.fetchMyTrades(BTC);
    expect(trades.map((t) => [t.side, t.price, t.amount, t.fee?.cost, t.info.realizedPnl])).toEqual([
      ['buy', 64000.1, 0.01, 0.3200005, '0'],
      ['sell', 63999.9, 0.01, 0.3199995, '-0.002'],
    ]);
  });

  it('watches the order book: snapshot, then updates chained by pu', async () => {
    const first = await exchange.watchOrderBook(BTC);
    // The position's open and close each took 0.01 from the top.
    expect([first.bids[0], first.asks[0]]).toEqual([[63999.9, 1.99], [64000.1, 1.99]]);
    const placed = await exchange.createOrder(BTC, 'limit', 'sell', 0.5, 64000);
    let book = await exchange.watchOrderBook(BTC);
    while (book.asks[0]![0] !== 64000) book = await exchange.watchOrderBook(BTC);
    expect(book.asks[0]).toEqual([64000, 0.5]);
    await exchange.cancelOrder(placed.id!, BTC);
  });

  it('watches the position change with a fill (ACCOUNT_UPDATE)', async () => {
    const watching = exchange.watchPositions([BTC]);
    // The first watch answers with ccxt's fetchPositions snapshot (flat: none); the fill's ACCOUNT_UPDATE follows.
    await watching;
    const next = exchange.watchPositions([BTC]);
    await exchange.createOrder(BTC, 'market', 'buy', 0.002);
    const [position] = await next;
    expect([position!.symbol, position!.side, position!.contracts, position!.entryPrice]).toEqual([BTC, 'long', 0.002, 64000.1]);
    await exchange.createOrder(BTC, 'market', 'sell', 0.002, undefined, { reduceOnly: true });
  });

  it('watches own orders and trades on the user data stream', async () => {
    let orders = exchange.watchOrders(BTC);
    let trades = exchange.watchMyTrades(BTC);
    // The watches open the listenKey stream; an order placed before it is up would not be pushed (as in binance.ccxt.test.ts).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const placed = await exchange.createOrder(BTC, 'market', 'sell', 0.005, undefined, { clientOrderId: 'usdmWatch1' });
    // Updates of earlier orders may still be on their way: watch until this one's.
    while (!(await orders).some((o) => o.id === placed.id)) orders = exchange.watchOrders(BTC);
    const order = (await orders).find((o) => o.id === placed.id)!;
    expect([order.clientOrderId, order.symbol, order.status, order.reduceOnly]).toEqual(['usdmWatch1', BTC, 'closed', false]);
    while (!(await trades).some((t) => t.order === placed.id)) trades = exchange.watchMyTrades(BTC);
    const trade = (await trades).find((t) => t.order === placed.id)!;
    expect([trade.price, trade.amount, trade.fee?.currency, trade.fee?.cost]).toEqual([63999.9, 0.005, 'USDT', 0.15999975]);
  });
});

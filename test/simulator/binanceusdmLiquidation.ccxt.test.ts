import type { Order } from 'ccxt';
import { Decimal } from '@crossvenue/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ccxtClientFor } from '@crossvenue/connectors';
import type { SimulatedVenue, VenueEndpoints } from '@crossvenue/simulator';
import { startTestVenue } from '@crossvenue/simulator/testing';

const BTC = 'BTC/USDT:USDT';
const TAKER = '0.0005';
/** Another participant, trading in process on the venue's engine: it moves the book, and with it the mark (the mid). */
const MOVER = 'mark-mover';

/**
 * A liquidation seen through the real ccxt.pro binanceusdm class: a 20× isolated long, the mark
 * moved through its liquidation price by other orders on the book, and the venue closing it.
 * The book starts still: bids from 63999.9 and asks from 64000.1, so the mark is 64000.
 */
describe('the real ccxt binanceusdm class watching the simulated Binance USD-M venue liquidate a position', () => {
  let venue: SimulatedVenue;
  let endpoints: VenueEndpoints;
  let exchange: ReturnType<typeof ccxtClientFor>;

  beforeAll(async () => {
    ({ venue, endpoints } = await startTestVenue({ dialect: 'binanceusdm', name: 'sim-usdm-liquidation', fees: { maker: '0.0002', taker: TAKER } }));
    venue.engine.balances.credit(MOVER, 'USDT', new Decimal('10000000'));
    exchange = ccxtClientFor(endpoints);
    await exchange.loadMarkets();
  });

  afterAll(async () => {
    await exchange.close();
    await venue.stop();
  });

  /** The mover takes every bid, then bids 60900 (the mark: 62450.05) and asks 60950: the mark is 60925. */
  function moveMarkTo60925(): void {
    const engine = venue.engine;
    const bids = engine.depth('BTCUSDT', 1000).bids.reduce((total, level) => total.plus(level.total), new Decimal(0));
    engine.place({ account: MOVER, symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: bids });
    engine.place({ account: MOVER, symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: new Decimal('0.1'), price: new Decimal('60900') });
    engine.place({ account: MOVER, symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', quantity: new Decimal('0.1'), price: new Decimal('60950') });
  }

  it('closes a 20x long once the mark passes its liquidation price: orders canceled, a LIQUIDATION order pushed, the wallet exact', async () => {
    await exchange.setLeverage(20, BTC);
    await exchange.setMarginMode('isolated', BTC);
    await exchange.createOrder(BTC, 'market', 'buy', 0.1);
    const resting = await exchange.createOrder(BTC, 'limit', 'sell', 0.05, 70000);
    const [long] = await exchange.fetchPositions([BTC]);
    // Isolated wallet 0.1 × 64000.1 / 20 = 320.0005; LP = (320.0005 − 6400.01) / (0.1 × 0.004 − 0.1).
    expect([long!.contracts, long!.entryPrice, long!.initialMargin, long!.liquidationPrice]).toEqual([0.1, 64000.1, 320.0005, 61044.27208835]);

    let orders = exchange.watchOrders(BTC);
    // The watch opens the listenKey stream; what happens before it is up would not be pushed.
    await new Promise((resolve) => setTimeout(resolve, 200));
    moveMarkTo60925();
    const isLiquidation = (o: Order) => o.clientOrderId?.startsWith('autoclose-') === true && o.status === 'closed';
    while (!(await orders).some(isLiquidation)) orders = exchange.watchOrders(BTC);
    const pushed = (await orders).find(isLiquidation)!;
    // The stream's type is LIQUIDATION; the sell takes the mover's 60900 bid, above the bankruptcy price 64000.1 − 320.0005 / 0.1 = 60800.095.
    expect([pushed.type, pushed.side, pushed.filled, pushed.average, pushed.timeInForce]).toEqual(['liquidation', 'sell', 0.1, 60900, 'IOC']);

    expect(await exchange.fetchPositions([BTC])).toEqual([]);
    expect(await exchange.fetchOpenOrders(BTC)).toEqual([]);
    const history = await exchange.fetchOrders(BTC);
    expect(history.find((o) => o.id === resting.id)!.status).toBe('canceled');
    // The REST history lists it as Binance does: a LIMIT IOC at the bankruptcy price on the tick above.
    const liquidation = history.find((o) => o.id === pushed.id)!;
    expect([liquidation.clientOrderId, liquidation.type, liquidation.timeInForce, liquidation.price, liquidation.filled, liquidation.status]).toEqual([
      pushed.clientOrderId, 'limit', 'IOC', 60800.1, 0.1, 'closed',
    ]);
    const trade = (await exchange.fetchMyTrades(BTC)).find((t) => t.order === pushed.id)!;
    // Realized 0.1 × (60900 − 64000.1) = −310.01; taker fee 0.1 × 60900 × 0.0005 = 3.045.
    expect([trade.side, trade.price, trade.amount, trade.takerOrMaker, trade.fee?.cost, trade.info.realizedPnl]).toEqual(['sell', 60900, 0.1, 'taker', 3.045, '-310.01']);
    const opening = new Decimal('0.1').times('64000.1').times(TAKER);
    const balance = await exchange.fetchBalance();
    expect(balance['USDT']).toMatchObject({ total: new Decimal('100000').minus(opening).minus('310.01').minus('3.045').toNumber(), used: 0 });
  });
});

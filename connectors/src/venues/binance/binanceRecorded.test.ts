import { HAVE_VENUE_DATA, NO_VENUE_DATA, recordedJson, recordedResponses } from '@crossvenue/schemas/testing';
import ccxt, { type Exchange } from 'ccxt';
import { beforeAll, describe, expect, it } from 'vitest';
import { symbolMetadataOf } from '../../ccxt/marketData/symbolMetadataOf.ts';
import { recordedAccount, userStream, withRecordedMarkets } from '../recordedTestKit.ts';

/**
 * Binance spot and USD-M, recorded payloads through ccxt pro and our mapping, offline.
 * Markets: cryptofeed's exchangeInfo recordings (spot 2021-10-12, USD-M 2021-07-22).
 * Private: Binance's documentation examples of the user stream (executionReport,
 * ORDER_TRADE_UPDATE) as nautilus_trader keeps them; ids like "O-12345-test-trade" are theirs.
 */
if (!HAVE_VENUE_DATA) console.warn(`binanceRecorded.test.ts: ${NO_VENUE_DATA}`);

const SPOT = 'nautilus_trader/crates/adapters/binance/test_data/spot/user_data_json';
const USDM = 'nautilus_trader/crates/adapters/binance/test_data/futures/user_data_json';
const WS = 'nautilus_trader/tests/integration_tests/adapters/binance/resources/ws_messages';
const AT_MS = 1_700_000_000_000;

describe.skipIf(!HAVE_VENUE_DATA)('Binance spot, recorded', () => {
  let binance: Exchange;
  beforeAll(async () => {
    const [exchangeInfo] = recordedResponses('cryptofeed/sample_data/BINANCE.0');
    binance = await withRecordedMarkets(
      new ccxt.pro.binance({ options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false } }),
      'publicGetExchangeInfo',
      () => exchangeInfo,
    );
  });

  it("loads ETH/USDT from exchangeInfo, and our metadata takes the filters' own strings", () => {
    const market = binance.market('ETH/USDT');
    expect([market.id, market.precision.price, market.precision.amount, market.limits.cost?.min]).toEqual(['ETHUSDT', 0.01, 0.0001, 10]);
    expect(symbolMetadataOf(binance, market, 'binance', 'e', AT_MS)).toMatchObject({
      instrument: 'ETH/USDT',
      venueSymbol: 'ETHUSDT',
      assetType: 'SPOT',
      priceTick: '0.01',
      quantityStep: '0.0001',
      minQuantity: '0.0001',
      maxQuantity: '9000',
      minNotional: '10',
      contractSize: null,
    });
  });

  it('a partial fill (executionReport TRADE / PARTIALLY_FILLED) is our PARTIALLY_FILLED, and its trade a maker Fill with the fee in ETH', async () => {
    const { orders, trades } = userStream(binance, recordedJson(`${WS}/ws_spot_execution_report_trade.json`));
    const account = await recordedAccount('binance', binance);
    account.track({ clientOrderId: 'O-12345-test-trade', instrument: 'ETH/USDT', quantity: '1', limitPrice: '2500' });
    expect(await account.report(orders[0]!)).toMatchObject([
      {
        previousState: 'PENDING_NEW',
        state: 'PARTIALLY_FILLED',
        event: 'PARTIALLY_FILLED',
        rawVenueStatus: 'PARTIALLY_FILLED',
        clientOrderId: 'O-12345-test-trade',
        venueOrderId: '1234567890',
        filledQuantity: '0.5',
        remainingQuantity: '0.5',
        limitPrice: '2500',
        averagePrice: '2499.5',
        venueTimeMs: 1_759_347_763_167,
      },
    ]);
    expect(await account.publish(trades)).toMatchObject([
      { venueTradeId: '98765432', venueOrderId: '1234567890', clientOrderId: 'O-12345-test-trade', portfolio: 'pf', instrument: 'ETH/USDT', side: 'BUY', quantity: '0.5', price: '2499.5', fee: '0.0005', feeCurrency: 'ETH', liquidity: 'MAKER' },
    ]);
  });

  it('a fill that completes the order (X FILLED) is FILLED with nothing left', async () => {
    const { orders, trades } = userStream(binance, recordedJson(`${SPOT}/execution_report_trade.json`));
    const account = await recordedAccount('binance', binance);
    account.track({ clientOrderId: 'x-TD67BGP9-T0000000000000', instrument: 'ETH/USDT', quantity: '1', limitPrice: '2500' });
    expect(await account.report(orders[0]!)).toMatchObject([{ state: 'FILLED', event: 'FILLED', rawVenueStatus: 'FILLED', filledQuantity: '1', remainingQuantity: '0', averagePrice: '2500' }]);
    expect(await account.publish(trades)).toMatchObject([{ venueTradeId: '98765432', quantity: '1', price: '2500', fee: '0.001', feeCurrency: 'ETH', liquidity: 'MAKER' }]);
  });

  it.each([
    ['execution_report_canceled.json', `${SPOT}`, 'x-TD67BGP9-T0000000000000', 'CANCELED', 'CANCELED'],
    ['ws_spot_execution_report_rejected.json', `${WS}`, 'O-12345-test-reject', 'REJECTED', 'REJECTED'],
    ['ws_spot_execution_report_expired.json', `${WS}`, 'O-12345-test-expired', 'EXPIRED', 'EXPIRED'],
  ])('%s is our %s with nothing filled and no trade', async (file, dir, clientOrderId, state, raw) => {
    const { orders, trades } = userStream(binance, recordedJson(`${dir}/${file}`));
    const account = await recordedAccount('binance', binance);
    const order = orders[0]!;
    account.track({ clientOrderId, instrument: order.symbol, quantity: String(order.amount) });
    expect(await account.report(order)).toMatchObject([{ previousState: 'PENDING_NEW', state, event: state, rawVenueStatus: raw, filledQuantity: '0', remainingQuantity: '0' }]);
    expect(trades).toEqual([]);
  });
});

describe.skipIf(!HAVE_VENUE_DATA)('Binance USD-M, recorded', () => {
  let usdm: Exchange;
  beforeAll(async () => {
    const [exchangeInfo] = recordedResponses('cryptofeed/sample_data/BINANCE_FUTURES.0');
    usdm = await withRecordedMarkets(
      new ccxt.pro.binanceusdm({ options: { fetchMarkets: { types: ['linear'] }, fetchCurrencies: false, fetchMargins: false } }),
      'fapiPublicGetExchangeInfo',
      () => exchangeInfo,
    );
  });

  it('loads the BTCUSDT perpetual, and our metadata reads it from the unified market', () => {
    const market = usdm.market('BTC/USDT:USDT');
    expect([market.id, market.swap, market.linear, market.contractSize, market.precision.price, market.precision.amount]).toEqual(['BTCUSDT', true, true, 1, 0.01, 0.001]);
    expect(symbolMetadataOf(usdm, market, 'binanceusdm', 'e', AT_MS)).toMatchObject({
      instrument: 'BTC/USDT:USDT',
      assetType: 'PERP',
      settle: 'USDT',
      contractSize: '1',
      inverse: false,
      priceTick: '0.01',
      quantityStep: '0.001',
      minQuantity: '0.001',
      maxQuantity: '1000',
      minPrice: '556.72',
      minNotional: '5',
      reduceOnly: true,
      makerFee: '0.0002',
      takerFee: '0.0005',
    });
  });

  it('ORDER_TRADE_UPDATE with half filled is PARTIALLY_FILLED; its trade a maker Fill with the fee in USDT', async () => {
    const { orders, trades } = userStream(usdm, recordedJson(`${USDM}/order_update_trade_partial.json`));
    const account = await recordedAccount('binanceusdm', usdm);
    account.track({ clientOrderId: 'TEST', instrument: 'BTC/USDT:USDT', quantity: '0.002', limitPrice: '7100.5' });
    expect(await account.report(orders[0]!)).toMatchObject([
      { state: 'PARTIALLY_FILLED', rawVenueStatus: 'PARTIALLY_FILLED', venueOrderId: '8886774', filledQuantity: '0.001', remainingQuantity: '0.001', limitPrice: '7100.5', averagePrice: '7100.5' },
    ]);
    expect(await account.publish(trades)).toMatchObject([
      { venueTradeId: '12345678', venueOrderId: '8886774', clientOrderId: 'TEST', instrument: 'BTC/USDT:USDT', side: 'BUY', quantity: '0.001', price: '7100.5', fee: '0.01', feeCurrency: 'USDT', liquidity: 'MAKER' },
    ]);
  });

  it('a reduce-only sell filled at once is FILLED; the taker pays 0.5 USDT', async () => {
    const { orders, trades } = userStream(usdm, recordedJson(`${WS}/ws_futures_order_update_trade_reduce_only_qty.json`));
    const account = await recordedAccount('binanceusdm', usdm);
    account.track({ clientOrderId: 'O-12345-test-reduce-only-trade', instrument: 'ETH/USDT:USDT', side: 'SELL', quantity: '1', limitPrice: '2500' });
    expect(await account.report(orders[0]!)).toMatchObject([{ state: 'FILLED', side: 'SELL', filledQuantity: '1', remainingQuantity: '0', rawVenueStatus: 'FILLED' }]);
    expect(await account.publish(trades)).toMatchObject([{ venueTradeId: '9988776655', side: 'SELL', quantity: '1', price: '2500', fee: '0.5', feeCurrency: 'USDT', liquidity: 'TAKER' }]);
  });
});

import { HAVE_VENUE_DATA, NO_VENUE_DATA, recordedJson } from '@crossvenue/schemas/testing';
import ccxt, { type Exchange } from 'ccxt';
import { beforeAll, describe, expect, it } from 'vitest';
import { symbolMetadataOf } from '../../ccxt/marketData/symbolMetadataOf.ts';
import { recordedAccount, userStream, withRecordedMarkets } from '../recordedTestKit.ts';

/**
 * Coinbase Advanced Trade, recorded payloads through ccxt pro and our mapping, offline.
 * Markets: nautilus_trader's GET /api/v3/brokerage/market/products (BTC-USD, BTC-USDC; cryptofeed's
 * COINBASE.0 is the retired Coinbase Pro API, which ccxt's `coinbase` does not read). ccxt's currency
 * list is another request, left empty. Private: the `user` channel's snapshot (one OPEN order), the
 * REST order list (OPEN and FILLED) and fills (docs-derived, ids like "0000-000000-000000"). No
 * canceled or rejected Coinbase order is recorded. Fees come from the fills list, as the row says.
 */
if (!HAVE_VENUE_DATA) console.warn(`coinbaseRecorded.test.ts: ${NO_VENUE_DATA}`);

const COINBASE = 'nautilus_trader/crates/adapters/coinbase/test_data';
const AT_MS = 1_700_000_000_000;

describe.skipIf(!HAVE_VENUE_DATA)('Coinbase, recorded', () => {
  let coinbase: Exchange;
  beforeAll(async () => {
    const exchange = new ccxt.pro.coinbase();
    exchange.fetchCurrencies = async () => ({});
    const { products } = recordedJson(`${COINBASE}/http_products.json`) as { products: Array<Record<string, unknown>> };
    // The recorded FILLED order and one fill are on ETH-USD, which the product list lacks: the
    // connector only tracks loaded markets, so an ETH-USD product is made of BTC-USD's with the
    // order's ids. Nothing about ETH-USD's rules is asserted.
    const ethUsd = { ...products[0], product_id: 'ETH-USD', base_currency_id: 'ETH', base_display_symbol: 'ETH', display_name: 'ETH-USD', alias: '', alias_to: [] };
    // Spot products; the futures product lists ccxt asks for too are answered empty.
    coinbase = await withRecordedMarkets(exchange, 'v3PublicGetBrokerageMarketProducts', (params) => ({
      products: params.product_type === 'FUTURE' ? [] : [...products, ethUsd],
    }));
  });

  it('loads BTC-USD: cent tick, satoshi lot, 1 USD minimum order', () => {
    const market = coinbase.market('BTC/USD');
    expect([market.id, market.precision.price, market.precision.amount, market.limits.amount?.max, market.limits.cost?.min]).toEqual(['BTC-USD', 0.01, 1e-8, 3400, 1]);
    expect(coinbase.market('BTC/USDC').id).toBe('BTC-USDC');
    expect(symbolMetadataOf(coinbase, market, 'coinbase', 'e', AT_MS)).toMatchObject({
      instrument: 'BTC/USD',
      venueSymbol: 'BTC-USD',
      assetType: 'SPOT',
      priceTick: '0.01',
      quantityStep: '0.00000001',
      minQuantity: '0.00000001',
      maxQuantity: '3400',
      minNotional: '1',
      maxNotional: '150000000',
      reduceOnly: false,
    });
  });

  it("the user channel's snapshot: an OPEN order is NEW, matched by its client_order_id", async () => {
    const { orders } = userStream(coinbase, recordedJson(`${COINBASE}/ws_user.json`));
    const account = await recordedAccount('coinbase', coinbase);
    account.track({ clientOrderId: '11111-000000-000001', instrument: 'BTC/USD', quantity: '0.001' });
    expect(await account.report(orders[0]!)).toMatchObject([
      { state: 'NEW', event: 'ACCEPTED', rawVenueStatus: 'OPEN', venueOrderId: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890', filledQuantity: '0', remainingQuantity: '0.001' },
    ]);
  });

  it('the REST order list: a FILLED market sell is FILLED at its average price', async () => {
    const { orders } = recordedJson(`${COINBASE}/http_orders_list.json`) as { orders: object[] };
    const account = await recordedAccount('coinbase', coinbase);
    account.track({ clientOrderId: '11111-000000-000002', instrument: 'ETH/USD', side: 'SELL', quantity: '0.0325', orderType: 'MARKET', limitPrice: null });
    expect(await account.report(coinbase.parseOrder(orders[1] as never))).toMatchObject([
      { state: 'FILLED', rawVenueStatus: 'FILLED', venueOrderId: '0000-000000-000002', filledQuantity: '0.0325', remainingQuantity: '0', averagePrice: '3076.92' },
    ]);
  });

  it('the fills list (the fee source): commissions are charges, positive, in USD; liquidity_indicator kept', async () => {
    const { fills } = recordedJson(`${COINBASE}/http_fills.json`) as { fills: object[] };
    const { orders } = recordedJson(`${COINBASE}/http_orders_list.json`) as { orders: object[] };
    const account = await recordedAccount('coinbase', coinbase);
    account.track({ clientOrderId: '11111-000000-000002', instrument: 'ETH/USD', side: 'SELL', quantity: '0.0325', orderType: 'MARKET', limitPrice: null });
    // Its order seen first: the fill names only the venue order id.
    await account.report(coinbase.parseOrder(orders[1] as never));
    expect(await account.publish(fills.map((raw) => coinbase.parseTrade(raw as never)))).toMatchObject([
      // An order we do not track: no client id on a Coinbase fill, the account's portfolio.
      { venueTradeId: '1111-11111-111111', venueOrderId: '0000-000000-000000', clientOrderId: '', side: 'BUY', quantity: '0.005', price: '45123.45', fee: '1.14', feeCurrency: 'USD', liquidity: 'MAKER' },
      // Ours, known by its venue order id.
      { venueTradeId: '1111-11111-111112', clientOrderId: '11111-000000-000002', side: 'SELL', quantity: '0.0325', price: '3076.92', fee: '0.5', feeCurrency: 'USD', liquidity: 'TAKER' },
    ]);
  });
});

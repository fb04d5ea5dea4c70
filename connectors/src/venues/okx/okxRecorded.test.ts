import { HAVE_VENUE_DATA, NO_VENUE_DATA, recordedJson, recordedResponses } from '@crossvenue/schemas/testing';
import ccxt, { type Exchange } from 'ccxt';
import { beforeAll, describe, expect, it } from 'vitest';
import { symbolMetadataOf } from '../../ccxt/marketData/symbolMetadataOf.ts';
import { recordedAccount, userStream, withRecordedMarkets } from '../recordedTestKit.ts';
import type { OkxInstrument } from './okxSymbols.ts';

/**
 * OKX spot and swap, recorded payloads through ccxt pro and our mapping, offline.
 * Markets: cryptofeed's OKX.0 (/api/v5/public/instruments, 2022-05-13; five rounds of the same
 * instruments, so the first copy of each is kept: ccxt refuses a market id listed twice).
 * Private: nautilus_trader's `orders` channel pushes and REST fills (docs-derived). They carry no
 * canceled or rejected order (only an algo order's, on another channel), and none has the push's
 * `fillFee`/`fillFeeCcy` that OKX documents: the fee is then read from `fee`, the order's running
 * total, which equals the fill's here because each order has a single fill. Order and fill
 * quantities are asserted on spot pushes: a swap's are contracts, which contractUnits.ts turns
 * into the base asset.
 */
if (!HAVE_VENUE_DATA) console.warn(`okxRecorded.test.ts: ${NO_VENUE_DATA}`);

const OKX = 'nautilus_trader/crates/adapters/okx/test_data';
const AT_MS = 1_700_000_000_000;

describe.skipIf(!HAVE_VENUE_DATA)('OKX, recorded', () => {
  let okx: Exchange;
  beforeAll(async () => {
    const all = (recordedResponses('cryptofeed/sample_data/OKX.0') as Array<{ data: OkxInstrument[] }>).flatMap((r) => r.data);
    const instruments = [...new Map(all.map((i) => [i.instId, i])).values()];
    okx = await withRecordedMarkets(new ccxt.pro.okx({ options: { fetchMarkets: { types: ['spot', 'swap'] } } }), 'publicGetPublicInstruments', (params) => ({
      code: '0',
      data: instruments.filter((i) => i.instType === params.instType),
    }));
  });

  it('loads the BTC-USDT-SWAP perpetual: 0.01 BTC a contract, whole contracts, 0.1 tick', () => {
    const market = okx.market('BTC/USDT:USDT');
    // ccxt counts the swap in contracts (lotSz 1, minSz 1, maxMktSz 1600).
    expect([market.id, market.contractSize, market.precision.amount, market.limits.amount?.min, market.precision.price]).toEqual(['BTC-USDT-SWAP', 0.01, 1, 1, 0.1]);
    // Our metadata states the quantity rules in BTC (contracts x 0.01, contractUnits.ts), the contract size beside them.
    expect(symbolMetadataOf(okx, market, 'okx', 'e', AT_MS)).toMatchObject({
      venueSymbol: 'BTC-USDT-SWAP',
      assetType: 'PERP',
      settle: 'USDT',
      contractSize: '0.01',
      inverse: false,
      priceTick: '0.1',
      quantityStep: '0.01',
      minQuantity: '0.01',
      maxMarketQuantity: '16',
    });
  });

  it('loads BTC-USDT spot with the exact instrument strings', () => {
    expect(symbolMetadataOf(okx, okx.market('BTC/USDT'), 'okx', 'e', AT_MS)).toMatchObject({ assetType: 'SPOT', contractSize: null, priceTick: '0.1', quantityStep: '0.00000001', minQuantity: '0.00001' });
  });

  it('a FOK buy filled at once (state filled) is FILLED; its trade a taker Fill, the fee a charge', async () => {
    const { orders, trades } = userStream(okx, recordedJson(`${OKX}/ws_orders_fok.json`));
    const account = await recordedAccount('okx', okx);
    account.track({ clientOrderId: 'FOK-TEST-001', instrument: 'BTC/USDT', quantity: '0.05', limitPrice: '50000', timeInForce: 'FOK' });
    expect(await account.report(orders[0]!)).toMatchObject([
      { state: 'FILLED', event: 'FILLED', rawVenueStatus: 'filled', venueOrderId: '2497956918703120385', filledQuantity: '0.05', remainingQuantity: '0', limitPrice: '50000', averagePrice: '50000' },
    ]);
    const [filled] = await account.publish(trades);
    // OKX writes the charge negative ("-0.25"); our fills write it positive.
    expect(filled).toMatchObject({ venueTradeId: '1518905530', clientOrderId: 'FOK-TEST-001', portfolio: 'pf', side: 'BUY', quantity: '0.05', price: '50000', fee: '0.25', liquidity: 'TAKER' });
    // ccxt takes the fee currency from fillFeeCcy only, which this push lacks (feeCcy is the order's).
    expect(filled!.feeCurrency).toBe('');
  });

  it('an IOC sell on spot with 0.02 of 0.05 filled (partially_filled) is PARTIALLY_FILLED; its trade a taker Fill', async () => {
    const { orders, trades } = userStream(okx, recordedJson(`${OKX}/ws_orders_ioc.json`));
    const account = await recordedAccount('okx', okx);
    account.track({ clientOrderId: 'IOC-TEST-001', instrument: 'BTC/USDT', side: 'SELL', quantity: '0.05', limitPrice: '50100', timeInForce: 'IOC' });
    expect(await account.report(orders[0]!)).toMatchObject([
      { state: 'PARTIALLY_FILLED', rawVenueStatus: 'partially_filled', filledQuantity: '0.02', remainingQuantity: '0.03', limitPrice: '50100', averagePrice: '50100.5' },
    ]);
    expect(await account.publish(trades)).toMatchObject([{ venueTradeId: '1518905531', side: 'SELL', quantity: '0.02', price: '50100.5', fee: '0.1002', liquidity: 'TAKER' }]);
  });

  it('a live swap order from GET /trade/orders-pending is NEW, all of our quantity open', async () => {
    const { data } = recordedJson(`${OKX}/http_get_orders_pending.json`) as { data: object[] };
    const order = okx.parseOrder(data[0] as never);
    const account = await recordedAccount('okx', okx);
    // 0.10 contracts of 0.01 BTC: our quantity is in BTC; what is open is ours, nothing being filled.
    account.track({ clientOrderId: 'client-order-1', instrument: 'BTC/USDT:USDT', quantity: '0.001', limitPrice: '103500' });
    expect(await account.report(order)).toMatchObject([{ state: 'NEW', event: 'ACCEPTED', rawVenueStatus: 'live', filledQuantity: '0', remainingQuantity: '0.001', limitPrice: '103500', venueOrderId: '1234567890123456789' }]);
  });

  it("the fills list's fee: a positive OKX fee is a rebate, negative in our Fill; an empty one is 0", async () => {
    const account = await recordedAccount('okx', okx);
    const paid = okx.parseTrade(recordedJson(`${OKX}/http_transaction_detail.json`) as never);
    const blank = { ...okx.parseTrade(recordedJson(`${OKX}/http_transaction_detail_empty_fee.json`) as never), id: 'blank' };
    // Orders we do not track: the Fill keeps the venue's client id and goes to the account's portfolio.
    expect(await account.publish([paid, blank])).toMatchObject([
      { venueTradeId: '123456789', clientOrderId: 'client_123', portfolio: 'pf', quantity: '0.001', price: '42000.5', fee: '-0.042', feeCurrency: 'USDT' },
      { venueTradeId: 'blank', fee: '0' },
    ]);
  });
});

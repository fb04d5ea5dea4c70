import { HAVE_VENUE_DATA, NO_VENUE_DATA, recordedJson, recordedResponses } from '@crossvenue/schemas/testing';
import ccxt, { type Exchange } from 'ccxt';
import { beforeAll, describe, expect, it } from 'vitest';
import { failureKind } from '../../ccxt/failureKind.ts';
import { symbolMetadataOf } from '../../ccxt/marketData/symbolMetadataOf.ts';
import { recordedAccount, withRecordedMarkets } from '../recordedTestKit.ts';

/**
 * Kraken spot, recorded payloads through ccxt and our mapping, offline.
 * Markets: cryptofeed's KRAKEN.0 (/0/public/AssetPairs, 2021-04-17; nautilus's has XBTUSDT only);
 * ccxt's asset list is another request, left empty. Private: nautilus_trader's REST OpenOrders,
 * ClosedOrders and TradesHistory (docs-derived) and a websocket add_order failure. There is no
 * executions-channel message and no canceled order (both closed orders are fully executed), and
 * no order carries a cl_ord_id: ccxt then takes the userref ("0") as client id, so these orders
 * are ours only by the txid our create response gave.
 */
if (!HAVE_VENUE_DATA) console.warn(`krakenRecorded.test.ts: ${NO_VENUE_DATA}`);

const KRAKEN = 'nautilus_trader/crates/adapters/kraken/test_data';
const AT_MS = 1_700_000_000_000;
const OURS = '0123456789abcdef0123456789abcdef';

/** Kraken lists orders and trades keyed by their id; ccxt's fetch methods put the key in as `id`. */
const entries = (byId: Record<string, object>) => Object.entries(byId).map(([id, fields]) => ({ id, ...fields }));

describe.skipIf(!HAVE_VENUE_DATA)('Kraken, recorded', () => {
  let kraken: Exchange;
  beforeAll(async () => {
    const [assetPairs] = recordedResponses('cryptofeed/sample_data/KRAKEN.0');
    const exchange = new ccxt.kraken();
    exchange.fetchCurrencies = async () => ({});
    kraken = await withRecordedMarkets(exchange, 'publicGetAssetPairs', () => assetPairs);
  });

  it('loads XBTUSDT as BTC/USDT: tick 0.1, lot 0.00000001, ordermin 0.0002, base-tier fees', () => {
    const market = kraken.market('BTC/USDT');
    expect([market.id, market.precision.price, market.precision.amount, market.limits.amount?.min]).toEqual(['XBTUSDT', 0.1, 1e-8, 0.0002]);
    expect(symbolMetadataOf(kraken, market, 'kraken', 'e', AT_MS)).toMatchObject({
      instrument: 'BTC/USDT',
      venueSymbol: 'XBTUSDT',
      base: 'BTC',
      assetType: 'SPOT',
      priceTick: '0.1',
      quantityStep: '0.00000001',
      minQuantity: '0.0002',
      makerFee: '0.0016',
      takerFee: '0.0026',
    });
  });

  it('an open order (status open, nothing executed) is NEW; its userref "0" is not taken for our client id', async () => {
    const { result } = recordedJson(`${KRAKEN}/http_open_orders.json`) as { result: { open: Record<string, object> } };
    const order = kraken.parseOrder(entries(result.open)[0] as never);
    expect(order.clientOrderId).toBe('0');
    const account = await recordedAccount('kraken', kraken);
    account.track({ clientOrderId: OURS, instrument: 'BTC/USDT', quantity: '0.5', limitPrice: '29500' }, 'O26VBY-ISGAE-JP5TLU');
    expect(await account.report(order)).toMatchObject([
      { clientOrderId: OURS, venueOrderId: 'O26VBY-ISGAE-JP5TLU', state: 'NEW', rawVenueStatus: 'open', filledQuantity: '0', remainingQuantity: '0.5', limitPrice: '29500' },
    ]);
  });

  it('a closed order with vol_exec = vol is FILLED', async () => {
    const { result } = recordedJson(`${KRAKEN}/http_closed_orders.json`) as { result: { closed: Record<string, object> } };
    const account = await recordedAccount('kraken', kraken);
    account.track({ clientOrderId: OURS, instrument: 'BTC/USDT', quantity: '0.5', limitPrice: '29500' }, 'O5KZFT-GH3AD-LP6TLU');
    expect(await account.report(kraken.parseOrder(entries(result.closed)[0] as never))).toMatchObject([
      { state: 'FILLED', rawVenueStatus: 'closed', filledQuantity: '0.5', remainingQuantity: '0', averagePrice: '29500' },
    ]);
  });

  it('an order refused for funds (EOrder:Insufficient funds) is a refusal: REJECTED, the reason kept', async () => {
    const { error } = recordedJson(`${KRAKEN}/ws_add_order_response_failure.json`) as { error: string };
    // The same error string in AddOrder's REST envelope, which is how the connector sends orders.
    const body = JSON.stringify({ error: [error], result: {} });
    let refusal: unknown;
    try {
      kraken.handleErrors(200, 'OK', 'https://api.kraken.com/0/private/AddOrder', 'POST', {}, body, JSON.parse(body), {}, '');
    } catch (thrown) {
      refusal = thrown;
    }
    expect(refusal).toBeInstanceOf(ccxt.InsufficientFunds);
    expect(failureKind(refusal)).toBe('refused');
    // What CcxtExecution reports for a refused create.
    const account = await recordedAccount('kraken', kraken);
    const order = account.track({ clientOrderId: OURS, instrument: 'BTC/USDT', quantity: '0.5' });
    const reason = (refusal as Error).message;
    expect(await account.report(() => account.reporter.report(order, { event: 'REJECTED', source: 'VENUE', reason }))).toMatchObject([
      { state: 'REJECTED', event: 'REJECTED', source: 'VENUE', reason: expect.stringContaining('EOrder:Insufficient funds'), filledQuantity: '0', remainingQuantity: '0' },
    ]);
  });

  it('TradesHistory: a maker and a taker fill, fees charged positive in USDT', async () => {
    const { result } = recordedJson(`${KRAKEN}/http_trades_history.json`) as { result: { trades: Record<string, object> } };
    const account = await recordedAccount('kraken', kraken);
    account.track({ clientOrderId: OURS, instrument: 'BTC/USDT', quantity: '0.5', limitPrice: '29500' }, 'O26VBY-ISGAE-JP5TLU');
    expect(await account.publish(entries(result.trades).map((raw) => kraken.parseTrade(raw as never)))).toMatchObject([
      { venueTradeId: 'TCCCTY-WJ6EO-4FP4VZ', venueOrderId: 'O26VBY-ISGAE-JP5TLU', clientOrderId: OURS, side: 'BUY', quantity: '0.5', price: '29500.5', fee: '23.6', feeCurrency: 'USDT', liquidity: 'MAKER' },
      { venueTradeId: 'TDCVFQ-TPEG4-6X7LSZ', venueOrderId: 'OYEQF4-FDE4C-NMUYUI', clientOrderId: '', instrument: 'ETH/USDT', side: 'SELL', quantity: '1', price: '1799.75', fee: '3.6', feeCurrency: 'USDT', liquidity: 'TAKER' },
    ]);
  });
});

import { HAVE_VENUE_DATA, NO_VENUE_DATA, recordedJson } from '@crossvenue/schemas/testing';
import ccxt, { type Exchange, type Order } from 'ccxt';
import { beforeAll, describe, expect, it } from 'vitest';
import { symbolMetadataOf } from '../../ccxt/marketData/symbolMetadataOf.ts';
import { orderEvidence } from '../../ccxt/orderEvidence.ts';
import { capabilitiesOf } from '../capabilitiesOf.ts';
import { recordedAccount, userStream, withRecordedMarkets } from '../recordedTestKit.ts';

/**
 * Bybit v5 spot and linear, recorded payloads through ccxt pro and our mapping, offline.
 * Markets: nautilus_trader's /v5/market/instruments-info responses (spot and linear; cryptofeed's
 * BYBIT.0 is the retired v2 API). Private: its `order` and `execution` stream messages and REST
 * order and execution lists (several hand-edited: ids like "client-1").
 */
if (!HAVE_VENUE_DATA) console.warn(`bybitRecorded.test.ts: ${NO_VENUE_DATA}`);

const BYBIT = 'nautilus_trader/crates/adapters/bybit/test_data';
const AT_MS = 1_700_000_000_000;

describe.skipIf(!HAVE_VENUE_DATA)('Bybit, recorded', () => {
  let bybit: Exchange;
  beforeAll(async () => {
    bybit = await withRecordedMarkets(new ccxt.pro.bybit({ options: { fetchMarkets: { types: ['spot', 'linear'] } } }), 'publicGetV5MarketInstrumentsInfo', (params) =>
      recordedJson(`${BYBIT}/http_get_instruments_${params.category === 'spot' ? 'spot' : 'linear'}.json`),
    );
  });

  it('loads the BTCUSDT linear perpetual: tick 0.5, lot 0.001 BTC, settled in USDT', () => {
    const market = bybit.market('BTC/USDT:USDT');
    expect([market.id, market.swap, market.contractSize, market.precision.price, market.precision.amount]).toEqual(['BTCUSDT', true, 1, 0.5, 0.001]);
    expect(symbolMetadataOf(bybit, market, 'bybit', 'e', AT_MS)).toMatchObject({
      instrument: 'BTC/USDT:USDT',
      assetType: 'PERP',
      settle: 'USDT',
      contractSize: '1',
      inverse: false,
      priceTick: '0.5',
      quantityStep: '0.001',
      minQuantity: '0.001',
      maxQuantity: '100',
      minPrice: '1',
      maxPrice: '1000000',
      reduceOnly: true,
    });
  });

  it('an order message with orderStatus Filled is FILLED', async () => {
    const { orders } = userStream(bybit, recordedJson(`${BYBIT}/ws_account_order_filled.json`));
    const account = await recordedAccount('bybit', bybit);
    account.track({ clientOrderId: 'test-client-order-001', instrument: 'BTC/USDT:USDT', quantity: '0.1', limitPrice: '30000.5' });
    expect(await account.report(orders[0]!)).toMatchObject([
      { state: 'FILLED', rawVenueStatus: 'Filled', venueOrderId: '5cf98598-39a7-459e-97bf-76ca765ee020', filledQuantity: '0.1', remainingQuantity: '0', limitPrice: '30000.5', averagePrice: '30000.5' },
    ]);
  });

  it('an order message with orderStatus Cancelled (by the user, nothing filled) is CANCELED', async () => {
    const { orders } = userStream(bybit, recordedJson(`${BYBIT}/ws_account_order.json`));
    const account = await recordedAccount('bybit', bybit);
    account.track({ clientOrderId: 'client-1', instrument: 'BTC/USDT:USDT', quantity: '0.01', limitPrice: '30000' });
    expect(await account.report(orders[0]!)).toMatchObject([{ state: 'CANCELED', event: 'CANCELED', rawVenueStatus: 'Cancelled', filledQuantity: '0', remainingQuantity: '0' }]);
  });

  // The 50 filled are real: the order existed and its rest was not done, so it ended as a cancellation
  // (rawVenueStatus keeps Rejected), as PartiallyFilledCanceled does. As REJECTED it left the
  // transition table: after PARTIALLY_FILLED the event was refused and the order stayed open for good.
  it('the stream\'s Rejected after 50 of 100 APEXUSDT filled (spot) is CANCELED evidence with the 50 kept', () => {
    const [order] = userStream(bybit, recordedJson(`${BYBIT}/ws_account_order_partially_filled_rejected.json`)).orders;
    // APEXUSDT is not among the recorded instruments: ccxt keeps the venue id as the symbol.
    expect([order!.symbol, order!.status, order!.filled, order!.clientOrderId]).toEqual(['APEXUSDT', 'rejected', 50, 'O-20251001-164609-APEX-000-49']);
    expect(orderEvidence(order!, capabilitiesOf('bybit'))).toMatchObject({ event: 'CANCELED', rawVenueStatus: 'Rejected', filledQuantity: '50', averagePrice: '1.5' });
  });

  describe("REST's Rejected after 0.005 of 0.01 BTCUSDT filled (GET /v5/order/realtime)", () => {
    let rejected: Order;
    beforeAll(() => {
      const { result } = recordedJson(`${BYBIT}/http_get_order_partially_filled_rejected.json`) as { result: { list: object[] } };
      rejected = bybit.parseOrder(result.list[0] as never);
    });
    const track = (account: Awaited<ReturnType<typeof recordedAccount>>) =>
      account.track({ clientOrderId: 'O-20251001-164609-APEX-000-49', instrument: 'BTC/USDT:USDT', quantity: '0.01', limitPrice: '30000' });

    it('is CANCELED with the fill kept, straight from PENDING_NEW', async () => {
      const account = await recordedAccount('bybit', bybit);
      track(account);
      expect(rejected.status).toBe('rejected');
      expect(await account.report(rejected)).toMatchObject([
        { previousState: 'PENDING_NEW', state: 'CANCELED', event: 'CANCELED', rawVenueStatus: 'Rejected', filledQuantity: '0.005', remainingQuantity: '0', averagePrice: '30000' },
      ]);
    });

    it('closes an order already reported PARTIALLY_FILLED', async () => {
      const account = await recordedAccount('bybit', bybit);
      track(account);
      // The partial fill as the stream said it before: the recorded order, still open.
      const partial = { ...rejected, status: 'open', info: { ...rejected.info, orderStatus: 'PartiallyFilled' } } as Order;
      const events = [...(await account.report(partial)), ...(await account.report(rejected))];
      expect(events.map((e) => `${e.previousState}->${e.state} ${e.rawVenueStatus} ${e.filledQuantity}`)).toEqual([
        'PENDING_NEW->PARTIALLY_FILLED PartiallyFilled 0.005',
        'PARTIALLY_FILLED->CANCELED Rejected 0.005',
      ]);
    });
  });

  it('an execution message is a taker Fill with its execFee, a charge positive', async () => {
    const { trades } = userStream(bybit, recordedJson(`${BYBIT}/ws_account_execution.json`));
    const account = await recordedAccount('bybit', bybit);
    expect(await account.publish(trades)).toMatchObject([
      {
        venueTradeId: '0ab1bdf7-4219-438b-b30a-32ec863018f7',
        venueOrderId: '9aac161b-8ed6-450d-9cab-c5cc67c21784',
        clientOrderId: 'test-order-link-001',
        instrument: 'BTC/USDT:USDT',
        side: 'SELL',
        quantity: '0.5',
        price: '95900.1',
        fee: '26.3725275',
        feeCurrency: 'USDT',
        liquidity: 'TAKER',
        venueTimeMs: 1_746_270_400_353,
      },
    ]);
  });

  it('the REST execution list (the catch-up): a maker and a taker fill', async () => {
    const { result } = recordedJson(`${BYBIT}/http_get_executions.json`) as { result: { list: object[] } };
    const account = await recordedAccount('bybit', bybit);
    const trades = result.list.map((raw) => bybit.parseTrade(raw as never));
    expect(await account.publish(trades)).toMatchObject([
      { clientOrderId: 'test-order-001', side: 'BUY', quantity: '0.1', price: '50000', fee: '0.015', feeCurrency: 'USDT', liquidity: 'MAKER' },
      { clientOrderId: 'test-order-002', side: 'SELL', quantity: '0.5', price: '3000', fee: '0.9', feeCurrency: 'USDT', liquidity: 'TAKER' },
    ]);
  });
});

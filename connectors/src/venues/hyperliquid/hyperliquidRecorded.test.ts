import { HAVE_VENUE_DATA, NO_VENUE_DATA, recordedJson } from '@crossvenue/schemas/testing';
import ccxt, { type Exchange } from 'ccxt';
import { beforeAll, describe, expect, it } from 'vitest';
import { symbolMetadataOf } from '../../ccxt/marketData/symbolMetadataOf.ts';
import { recordedAccount, userStream, withRecordedMarkets } from '../recordedTestKit.ts';

/**
 * Hyperliquid perpetuals, recorded payloads through ccxt pro and our mapping, offline.
 * Markets: ccxt's fetchMarkets asks for metaAndAssetCtxs; the data has the `meta` half
 * (http_meta_perp_sample: BTC, ETH, ATOM, the first three assets of the main dex) and, recorded
 * apart, the main dex's asset contexts (ws_all_dexs_asset_ctxs), paired here by index. ccxt derives
 * the price step from the context's markPx; its asset list is another request, left empty.
 * Private: one user fill (ws_user_fill_liquidation, a `user` channel message; ccxt's watchMyTrades
 * reads the `userFills` channel, whose fills have the same fields, so the fill is handed over in
 * that envelope). The data holds NO Hyperliquid order payload (orderUpdates, orderStatus, open
 * orders): the order update below is built from that fill's own fields (oid, cloid, coin, side,
 * px, sz) with status "filled", which is ours, not recorded.
 */
if (!HAVE_VENUE_DATA) console.warn(`hyperliquidRecorded.test.ts: ${NO_VENUE_DATA}`);

const HL = 'nautilus_trader/crates/adapters/hyperliquid/test_data';
const AT_MS = 1_700_000_000_000;

interface HyperliquidFill {
  coin: string;
  px: string;
  sz: string;
  side: string;
  time: number;
  oid: number;
  cloid: string;
}

describe.skipIf(!HAVE_VENUE_DATA)('Hyperliquid, recorded', () => {
  let hyperliquid: Exchange;
  let recordedFill: HyperliquidFill;
  beforeAll(async () => {
    const meta = recordedJson(`${HL}/http_meta_perp_sample.json`);
    const { data } = recordedJson(`${HL}/ws_all_dexs_asset_ctxs.json`) as { data: { ctxs: Array<[string, object[]]> } };
    const mainDexCtxs = data.ctxs.find(([dex]) => dex === '')![1];
    const exchange = new ccxt.pro.hyperliquid({ options: { fetchMarkets: { types: ['swap'] } } });
    exchange.fetchCurrencies = async () => ({});
    hyperliquid = await withRecordedMarkets(exchange, 'publicPostInfo', (params) => {
      if (params.type !== 'metaAndAssetCtxs') throw new Error(`unexpected info request ${params.type}`);
      return [meta, mainDexCtxs];
    });
    recordedFill = (recordedJson(`${HL}/ws_user_fill_liquidation.json`) as { data: { fills: HyperliquidFill[] } }).data.fills[0]!;
  });

  it('loads BTC as asset 0: 5 size decimals, a whole-dollar price step at a 77 562 mark, 10 USDC minimum', () => {
    const market = hyperliquid.market('BTC/USDC:USDC');
    expect([market.id, market.swap, market.contractSize, market.precision.amount, market.precision.price, market.limits.leverage?.max]).toEqual(['0', true, 1, 0.00001, 1, 40]);
    expect(symbolMetadataOf(hyperliquid, market, 'hyperliquid', 'e', AT_MS)).toMatchObject({
      instrument: 'BTC/USDC:USDC',
      venueSymbol: '0',
      assetType: 'PERP',
      settle: 'USDC',
      contractSize: '1',
      quantityStep: '0.00001',
      priceTick: '1',
      minNotional: '10',
      reduceOnly: true,
    });
    // ATOM at a 2.13 mark: 2 size decimals leave 4 price decimals.
    expect(symbolMetadataOf(hyperliquid, hyperliquid.market('ATOM/USDC:USDC'), 'hyperliquid', 'e', AT_MS)).toMatchObject({ quantityStep: '0.01', priceTick: '0.0001' });
  });

  it('the fill through watchMyTrades: its 0x cloid is our client order id again, the fee a charge in USDC', async () => {
    const { trades } = userStream(hyperliquid, { channel: 'userFills', data: { user: '0x0', fills: [recordedFill] } });
    const account = await recordedAccount('hyperliquid', hyperliquid);
    const [published] = await account.publish(trades);
    expect(published).toMatchObject({
      venueTradeId: '745210434703679',
      venueOrderId: '55030848197',
      clientOrderId: 'e8d5fd7ebbb4c3cff4d1803472a11463',
      instrument: 'BTC/USDC:USDC',
      side: 'SELL',
      quantity: '0.001',
      price: '66653',
      fee: '0.009997',
      feeCurrency: 'USDC',
      venueTimeMs: 1_781_528_065_899,
    });
    // `crossed: false` makes it a maker fill, but ccxt's stream parser drops `crossed` (takerOrMaker
    // undefined) and our mapping then says TAKER; ccxt's REST parser (the catch-up) reads it: MAKER.
    expect(published!.liquidity).toBe('TAKER');
    expect(hyperliquid.parseTrade(recordedFill as never).takerOrMaker).toBe('maker');
  });

  it('an order update built from that fill: found by its cloid, FILLED', async () => {
    const { orders } = userStream(hyperliquid, {
      channel: 'orderUpdates',
      data: [
        {
          order: { coin: recordedFill.coin, side: recordedFill.side, limitPx: recordedFill.px, sz: '0.0', origSz: recordedFill.sz, oid: recordedFill.oid, cloid: recordedFill.cloid, timestamp: recordedFill.time },
          status: 'filled',
          statusTimestamp: recordedFill.time,
        },
      ],
    });
    const account = await recordedAccount('hyperliquid', hyperliquid);
    account.track({ clientOrderId: 'e8d5fd7ebbb4c3cff4d1803472a11463', instrument: 'BTC/USDC:USDC', side: 'SELL', quantity: '0.001', limitPrice: '66653' });
    expect(await account.report(orders[0]!)).toMatchObject([
      { clientOrderId: 'e8d5fd7ebbb4c3cff4d1803472a11463', venueOrderId: '55030848197', state: 'FILLED', rawVenueStatus: 'filled', filledQuantity: '0.001', remainingQuantity: '0' },
    ]);
  });
});

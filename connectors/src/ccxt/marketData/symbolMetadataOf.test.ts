import { HAVE_VENUE_DATA, NO_VENUE_DATA, recordedJson, recordedResponses } from '@crossvenue/schemas/testing';
import ccxt, { type Exchange } from 'ccxt';
import { beforeAll, describe, expect, it } from 'vitest';
import { symbolMetadataOf, unifiedRules } from './symbolMetadataOf.ts';

if (!HAVE_VENUE_DATA) console.warn(`symbolMetadataOf.test.ts: ${NO_VENUE_DATA}`);

/** ccxt's own market parsing, fed the recorded response instead of the venue's HTTP answer. */
async function withRecordedMarkets(exchange: Exchange, method: string, answer: (params: Record<string, string>) => unknown): Promise<Exchange> {
  (exchange as unknown as Record<string, unknown>)[method] = async (params: Record<string, string>) => answer(params);
  await exchange.loadMarkets();
  return exchange;
}

const AT_MS = 1_700_000_000_000;

describe.skipIf(!HAVE_VENUE_DATA)('ccxt market -> SymbolMetadata', () => {
  let binance: Exchange;
  let okx: Exchange;
  let bybit: Exchange;
  beforeAll(async () => {
    const [exchangeInfo] = recordedResponses('cryptofeed/sample_data/BINANCE.0');
    binance = await withRecordedMarkets(
      new ccxt.binance({ options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false } }),
      'publicGetExchangeInfo',
      () => exchangeInfo,
    );
    const okxInstruments = (recordedResponses('cryptofeed/sample_data/OKX.0') as Array<{ data: Array<{ instType: string }> }>).flatMap((r) => r.data);
    okx = await withRecordedMarkets(new ccxt.okx({ options: { fetchMarkets: { types: ['spot', 'swap'] } } }), 'publicGetPublicInstruments', (params) => ({
      code: '0',
      data: okxInstruments.filter((i) => i.instType === params.instType),
    }));
    const bybitDir = 'nautilus_trader/crates/adapters/bybit/test_data';
    bybit = await withRecordedMarkets(new ccxt.bybit({ options: { fetchMarkets: { types: ['spot', 'linear'] } } }), 'publicGetV5MarketInstrumentsInfo', (params) =>
      recordedJson(`${bybitDir}/http_get_instruments_${params.category === 'spot' ? 'spot' : 'linear'}.json`),
    );
  });

  it("Binance spot: the filters exactly from the venue's exchangeInfo strings, under our venue name", () => {
    const metadata = symbolMetadataOf(binance, binance.market('BTC/USDT'), 'binance-main', 'event-1', AT_MS);
    expect(metadata).toMatchObject({
      eventId: 'event-1',
      venue: 'binance-main',
      instrument: 'BTC/USDT',
      venueSymbol: 'BTCUSDT',
      assetType: 'SPOT',
      priceTick: '0.01',
      quantityStep: '0.00001',
      minQuantity: '0.00001',
      maxQuantity: '9000',
      maxMarketQuantity: '100.05381873',
      minNotional: '10',
      orderTypes: ['LIMIT', 'MARKET', 'STOP_LIMIT', 'TAKE_PROFIT_LIMIT'],
      postOnly: true,
      iceberg: true,
      // ccxt's base-tier fee schedule
      makerFee: '0.001',
      takerFee: '0.001',
      receivedAtMs: AT_MS,
    });
  });

  it('OKX perpetual: rules from the raw instrument in BTC (1 contract = ctVal 0.01 BTC, lotSz 1), and the unified path agrees on every rule', () => {
    const market = okx.market('BTC/USDT:USDT');
    const metadata = symbolMetadataOf(okx, market, 'okx', 'event-2', AT_MS);
    expect(metadata).toMatchObject({
      assetType: 'PERP',
      settle: 'USDT',
      contractSize: '0.01',
      inverse: false,
      priceTick: '0.1',
      // lotSz 1 and minSz 1 contract, maxMktSz 1600 contracts: in BTC
      quantityStep: '0.01',
      minQuantity: '0.01',
      maxMarketQuantity: '16',
      makerFee: '0.0002',
      takerFee: '0.0005',
    });
    // ccxt's unified market counts contracts: times the contract size, the same rules.
    const unified = unifiedRules(okx, market);
    expect(unified.quantityStep?.toFixed()).toBe('1');
    for (const field of ['quantityStep', 'minQuantity'] as const) {
      expect(unified[field]?.times(metadata.contractSize ?? '1').toFixed(), field).toBe(metadata[field]);
    }
    for (const field of ['priceTick', 'contractSize'] as const) {
      expect(unified[field]?.toFixed(), field).toBe(metadata[field]);
    }
    expect(unified).toMatchObject({ assetType: 'PERP', settle: 'USDT', inverse: false, reduceOnly: true, postOnly: true, iceberg: true });
  });

  it('OKX inverse perpetual: keeps its contracts (no base quantity fits them; the router leaves it out)', () => {
    const metadata = symbolMetadataOf(okx, okx.market('BTC/USD:BTC'), 'okx', 'event-5', AT_MS);
    expect(metadata).toMatchObject({ inverse: true, contractSize: '100', quantityStep: '1', minQuantity: '1' });
  });

  it("Bybit spot and linear perpetual through ccxt's unified market: exact decimals, capabilities from ccxt's features", () => {
    expect(symbolMetadataOf(bybit, bybit.market('BTC/USDT'), 'bybit', 'event-3', AT_MS)).toMatchObject({
      assetType: 'SPOT',
      settle: null,
      contractSize: null,
      priceTick: '0.1',
      quantityStep: '0.0001',
      minQuantity: '0.001',
      maxQuantity: '100',
      minNotional: '10',
      maxNotional: '1000000',
      orderTypes: ['LIMIT', 'MARKET', 'STOP_MARKET', 'STOP_LIMIT', 'TAKE_PROFIT_MARKET', 'TAKE_PROFIT_LIMIT'],
      timeInForce: ['GTC', 'IOC', 'FOK'],
      postOnly: true,
      reduceOnly: false,
      iceberg: false,
    });
    expect(symbolMetadataOf(bybit, bybit.market('BTC/USDT:USDT'), 'bybit', 'event-4', AT_MS)).toMatchObject({
      assetType: 'PERP',
      settle: 'USDT',
      contractSize: '1',
      priceTick: '0.5',
      quantityStep: '0.001',
      minPrice: '1',
      maxPrice: '1000000',
      reduceOnly: true,
      makerFee: '0.0001',
      takerFee: '0.0006',
    });
  });

  it('reads a precision in decimal places as a step of 10^-n', () => {
    const market = bybit.market('BTC/USDT');
    const decimalPlaces = Object.assign(Object.create(bybit) as Exchange, { precisionMode: ccxt.DECIMAL_PLACES });
    const rules = unifiedRules(decimalPlaces, { ...market, precision: { amount: 4, price: 1 } });
    expect([rules.quantityStep?.toFixed(), rules.priceTick?.toFixed()]).toEqual(['0.0001', '0.1']);
  });
});

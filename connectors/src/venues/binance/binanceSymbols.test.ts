import avro from 'avsc';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordSchema, IntentOrder } from '@crossvenue/schemas';
import {
  SymbolMetadataSchema,
  formatDecimal,
  InvalidInputError,
  parseSymbolMetadata,
  toSymbolMetadata,
  type Market,
  parseIntentOrder,
  validateOrder,
} from '@crossvenue/schemas';
import { HAVE_VENUE_DATA, NO_VENUE_DATA, recordedJson, recordedResponses } from '@crossvenue/schemas/testing';
import { binanceSymbolMetadata, type BinanceExchangeInfoSymbol } from './binanceSymbols.ts';

if (!HAVE_VENUE_DATA) console.warn(`binance.test.ts: ${NO_VENUE_DATA}`);

describe.skipIf(!HAVE_VENUE_DATA)('binance spot exchangeInfo, recorded 2021-10-12 (cryptofeed BINANCE.0)', () => {
  let symbols: BinanceExchangeInfoSymbol[];
  let btcusdt: Market;
  beforeAll(() => {
    const [exchangeInfo] = recordedResponses('cryptofeed/sample_data/BINANCE.0') as { symbols: BinanceExchangeInfoSymbol[] }[];
    symbols = exchangeInfo!.symbols;
    btcusdt = binanceSymbolMetadata(symbols.find((s) => s.symbol === 'BTCUSDT')!);
  });

  it('parses every one of the 1695 symbols', () => {
    expect(symbols).toHaveLength(1695);
    const markets = symbols.map(binanceSymbolMetadata);
    expect(markets.filter((m) => m.active)).toHaveLength(1222); // TRADING with the SPOT permission
    expect(markets.every((m) => m.priceTick !== null && m.quantityStep !== null && m.minNotional !== null)).toBe(true);
  });

  it('reads BTCUSDT filters exactly, without the trailing zeros Binance writes', () => {
    const message = toSymbolMetadata(btcusdt, 'meta:binance:BTCUSDT', 1_633_998_511_132);
    expect(message).toMatchObject({
      venue: 'binance',
      instrument: 'BTC/USDT',
      venueSymbol: 'BTCUSDT',
      assetType: 'SPOT',
      active: true,
      minPrice: '0.01',
      maxPrice: '1000000',
      priceTick: '0.01',
      minQuantity: '0.00001',
      maxQuantity: '9000',
      quantityStep: '0.00001',
      maxMarketQuantity: '100.05381873',
      minNotional: '10',
      maxNotional: null,
      orderTypes: ['LIMIT', 'MARKET', 'STOP_LIMIT', 'TAKE_PROFIT_LIMIT'],
      timeInForce: ['GTC', 'IOC', 'FOK'],
      postOnly: true,
      reduceOnly: false,
      iceberg: true,
    });
    expect(parseSymbolMetadata(message)).toEqual(btcusdt);
  });

  it('encodes as a SymbolMetadata message', () => {
    const message = toSymbolMetadata(btcusdt, 'meta:binance:BTCUSDT', 1_633_998_511_132);
    const schema: RecordSchema = SymbolMetadataSchema;
    const type = avro.Type.forSchema(schema as avro.Schema);
    expect(type.fromBuffer(type.toBuffer(message))).toEqual(message);
  });

  it('marks a symbol without the SPOT permission inactive', () => {
    const leveraged = symbols.find((s) => s.permissions?.join() === 'LEVERAGED')!;
    expect(binanceSymbolMetadata(leveraged).active).toBe(false);
  });

  describe('orders on real BTCUSDT', () => {
    const valid: IntentOrder = {
      side: 'BUY',
      amount: '0.001',
      amountType: 'BASE',
      limitPrice: '57012.34',
      timeInForce: 'GTC',
      expireAtMs: null,
      postOnly: false,
      reduceOnly: false,
      trigger: null,
      icebergQuantity: null,
    };
    const check = (changes: Partial<IntentOrder>, market: Market = btcusdt) =>
      validateOrder(parseIntentOrder('BTC/USDT', { ...valid, ...changes }), market);

    it('accepts a valid order', () => {
      expect(check({})).toEqual([]);
      expect(check({ postOnly: true, icebergQuantity: '0.0002' })).toEqual([]);
      expect(check({ amount: '25', amountType: 'QUOTE' })).toEqual([]);
    });

    it.each<[string, Partial<IntentOrder>, string[]]>([
      ['below the minimum quantity', { amount: '0.000001' }, ['MIN_QUANTITY', 'STEP', 'MIN_NOTIONAL']],
      ['off the lot step', { amount: '0.0010001' }, ['STEP']],
      ['above the maximum quantity', { amount: '9000.1', limitPrice: '0.01' }, ['MAX_QUANTITY']],
      ['above the market-order maximum', { amount: '100.1', limitPrice: null }, ['MAX_QUANTITY']],
      ['off the tick', { limitPrice: '57012.345' }, ['TICK']],
      ['below the minimum price', { limitPrice: '0.005', amount: '9000' }, ['MIN_PRICE', 'TICK']],
      ['above the maximum price', { limitPrice: '1000000.01' }, ['MAX_PRICE']],
      ['below the minimum notional', { amount: '0.0001' }, ['MIN_NOTIONAL']],
      ['a quote amount below the minimum notional', { amount: '9.99', amountType: 'QUOTE' }, ['MIN_NOTIONAL']],
      ['time in force GTD', { timeInForce: 'GTD', expireAtMs: 1_634_000_000_000 }, ['UNSUPPORTED_TIME_IN_FORCE']],
      ['time in force DAY', { timeInForce: 'DAY' }, ['UNSUPPORTED_TIME_IN_FORCE']],
      ['reduce-only on spot', { reduceOnly: true }, ['UNSUPPORTED_FLAG']],
      ['a stop-market order', { limitPrice: null, trigger: { type: 'STOP', triggerPrice: '50000' } }, ['UNSUPPORTED_ORDER_TYPE']],
    ])('reports %s', (_case, changes, expected) => {
      expect(check(changes).map((v) => v.code)).toEqual(expected);
    });

    it('explains each broken rule with the venue numbers', () => {
      expect(check({ amount: '0.0001', limitPrice: '57012.345' }).map((v) => v.message)).toEqual([
        'price 57012.345 is not a multiple of the tick 0.01 for BTC/USDT on binance',
        'notional 5.7012345 USDT is below the minimum 10 USDT for BTC/USDT on binance',
      ]);
    });

    it('refuses every order while the market is halted', () => {
      const halted = binanceSymbolMetadata({ ...symbols.find((s) => s.symbol === 'BTCUSDT')!, status: 'BREAK' });
      expect(check({}, halted).map((v) => v.code)).toEqual(['MARKET_INACTIVE']);
    });
  });
});

describe.skipIf(!HAVE_VENUE_DATA)('binance spot exchangeInfo, current format (nautilus_trader docs example)', () => {
  it('reads permissionSets and an empty filter list', () => {
    const response = recordedJson('nautilus_trader/crates/adapters/binance/test_data/spot/http_json/exchange_info_response.json') as {
      symbols: BinanceExchangeInfoSymbol[];
    };
    const market = binanceSymbolMetadata(response.symbols[0]!);
    expect(market).toMatchObject({ instrument: 'ETH/BTC', active: true, priceTick: null, minNotional: null, postOnly: true });
    expect(market.orderTypes).toEqual(['LIMIT', 'MARKET', 'STOP_MARKET', 'STOP_LIMIT', 'TAKE_PROFIT_MARKET', 'TAKE_PROFIT_LIMIT']);
  });
});

describe('binance spot exchangeInfo, malformed', () => {
  const minimal: BinanceExchangeInfoSymbol = {
    symbol: 'BTCUSDT',
    status: 'TRADING',
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
    orderTypes: ['LIMIT'],
    icebergAllowed: false,
    permissions: ['SPOT'],
    filters: [{ filterType: 'PRICE_FILTER', minPrice: '0.00000000', maxPrice: '0', tickSize: 0.01 }],
  };

  it('treats a 0 filter value as no rule, and refuses a number where Binance writes a string', () => {
    expect(() => binanceSymbolMetadata(minimal)).toThrow(
      new InvalidInputError(
        'binance BTCUSDT PRICE_FILTER.tickSize: got the number 0.01; amounts must be decimal strings, a number may have lost digits',
      ),
    );
    const market = binanceSymbolMetadata({ ...minimal, filters: [{ ...minimal.filters[0]!, tickSize: '0.01000000' }] });
    expect([market.minPrice, market.maxPrice, formatDecimal(market.priceTick!)]).toEqual([null, null, '0.01']);
  });

  it('reads the NOTIONAL filter that replaced MIN_NOTIONAL', () => {
    const market = binanceSymbolMetadata({
      ...minimal,
      filters: [{ filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000' }],
    });
    expect([formatDecimal(market.minNotional!), formatDecimal(market.maxNotional!)]).toEqual(['5', '9000000']);
  });
});

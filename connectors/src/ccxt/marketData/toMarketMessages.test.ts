import avro from 'avsc';
import { BookSnapshotSchema, FundingRateSchema, TradeSchema, type RecordSchema } from '@crossvenue/schemas';
import { HAVE_VENUE_DATA, NO_VENUE_DATA, recordedJson } from '@crossvenue/schemas/testing';
import ccxt, { type FundingRate as CcxtFundingRate, type OrderBook, type Trade as CcxtTrade } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { bookSnapshotOf, fundingRateOf, publicTradeOf } from './toMarketMessages.ts';

if (!HAVE_VENUE_DATA) console.warn(`toMarketMessages.test.ts: ${NO_VENUE_DATA}`);

const BINANCE_SPOT = 'nautilus_trader/crates/adapters/binance/test_data/spot/http_json';
const ETHBTC = { symbol: 'ETH/BTC', id: 'ETHBTC' };
const RECEIVED_AT_MS = 1_700_000_000_123;

function expectEncodable(schema: RecordSchema, message: unknown): void {
  const type = avro.Type.forSchema(schema as avro.Schema);
  expect(type.fromBuffer(type.toBuffer(message))).toEqual(message);
}

describe.skipIf(!HAVE_VENUE_DATA)('ccxt structures parsed by ccxt from recorded venue payloads -> our messages', () => {
  it("book: Binance's depth response through ccxt's parser, with lastUpdateId as the sequence and the venue's decimals", () => {
    const binance = new ccxt.binance();
    const response = recordedJson(`${BINANCE_SPOT}/depth_response.json`) as { lastUpdateId: number };
    // What binance.fetchOrderBook does with the response.
    const book = binance.parseOrderBook(response, 'ETH/BTC');
    book.nonce = response.lastUpdateId;
    const snapshot = bookSnapshotOf(book, 20, { venue: 'binance', market: ETHBTC, receivedAtMs: RECEIVED_AT_MS });
    expect(snapshot).toMatchObject({
      venue: 'binance',
      instrument: 'ETH/BTC',
      venueSymbol: 'ETHBTC',
      sequence: 1_027_024,
      venueTimeMs: null,
      receivedAtMs: RECEIVED_AT_MS,
      bids: [{ price: '4', quantity: '431' }],
      asks: [{ price: '4.000002', quantity: '12' }],
    });
    expectEncodable(BookSnapshotSchema, snapshot);
  });

  it("public trade: Binance's trades response through ccxt's parser; a buyer-maker print is a SELL aggressor", () => {
    const binance = new ccxt.binance();
    const [raw] = recordedJson(`${BINANCE_SPOT}/trades_response.json`) as object[];
    const trade = binance.parseTrade(raw!, { ...ETHBTC, spot: true } as never);
    const message = publicTradeOf(trade, { venue: 'binance', market: ETHBTC, receivedAtMs: RECEIVED_AT_MS });
    expect(message).toMatchObject({
      venueTradeId: '28457',
      price: '4.000001',
      quantity: '12',
      aggressorSide: 'SELL',
      venueTimeMs: 1_499_865_549_590,
      receivedAtMs: RECEIVED_AT_MS,
    });
    expectEncodable(TradeSchema, message);
  });

  it('funding: the OKX funding-rate push through ccxt; the rate settles at fundingTime, every 8 h', () => {
    const okx = new ccxt.okx();
    const frame = recordedJson('nautilus_trader/crates/adapters/okx/test_data/ws_funding_rate.json') as { data: object[] };
    const market = { symbol: 'BTC/USDT:USDT', id: 'BTC-USDT-SWAP' };
    const rate = okx.parseFundingRate(frame.data[0]!, market as never);
    const message = fundingRateOf(rate, { venue: 'okx', market, receivedAtMs: RECEIVED_AT_MS });
    expect(message).toMatchObject({
      instrument: 'BTC/USDT:USDT',
      venueSymbol: 'BTC-USDT-SWAP',
      rate: '0.0001',
      nextFundingTimeMs: 1_744_590_349_506,
      fundingIntervalMs: 8 * 3_600_000,
      markPrice: null,
      // ccxt drops the push's ts: our receive time stands in.
      venueTimeMs: RECEIVED_AT_MS,
    });
    expectEncodable(FundingRateSchema, message);
  });

  it("funding: Binance USD-M premiumIndex through ccxt, with mark and index prices and the venue's time", () => {
    const binance = new ccxt.binanceusdm();
    const raw = recordedJson('nautilus_trader/tests/integration_tests/adapters/binance/resources/http_responses/http_futures_market_premium_index.json');
    const market = { symbol: 'BTC/USDT:USDT', id: 'BTCUSDT' };
    const message = fundingRateOf(binance.parseFundingRate(raw as object, market as never), { venue: 'binanceusdm', market, receivedAtMs: RECEIVED_AT_MS });
    expect(message).toMatchObject({
      rate: '0.00038246',
      nextFundingTimeMs: 1_597_392_000_000,
      fundingIntervalMs: null,
      markPrice: '11793.63104562',
      indexPrice: '11781.8049597',
      venueTimeMs: 1_597_370_495_002,
    });
  });
});

describe('ccxt structures -> our messages, malformed', () => {
  const source = { venue: 'bybit', market: { symbol: 'BTC/USDT:USDT', id: 'BTCUSDT' }, receivedAtMs: RECEIVED_AT_MS };

  it('cuts a book to the depth and refuses a level that is not a number', () => {
    const book = { bids: [[100, 1], [99.5, 2], [99, 3]], asks: [[101, 1]], nonce: undefined, timestamp: 1_700_000_000_000 } as unknown as OrderBook;
    expect(bookSnapshotOf(book, 2, source)).toMatchObject({ sequence: null, venueTimeMs: 1_700_000_000_000, bids: [{ price: '100' }, { price: '99.5' }] });
    const broken = { ...book, asks: [[Number.NaN, 1]] } as unknown as OrderBook;
    expect(() => bookSnapshotOf(broken, 2, source)).toThrow('ccxt ask price: expected a number, got NaN');
  });

  it('refuses a trade without id or side, naming the symbol', () => {
    const trade = { id: undefined, price: 1, amount: 1, side: 'buy', timestamp: 1 } as unknown as CcxtTrade;
    expect(() => publicTradeOf(trade, source)).toThrow('ccxt trade on BTC/USDT:USDT: missing id, timestamp or side');
  });

  it("reads ccxt's '0h' interval (a Bybit ticker) as unknown and refuses a rate without its funding time", () => {
    const rate = { symbol: 'BTC/USDT:USDT', fundingRate: -0.000212, fundingTimestamp: 1_673_280_000_000, interval: '0h', timestamp: 1 } as CcxtFundingRate;
    expect(fundingRateOf(rate, source)).toMatchObject({ rate: '-0.000212', fundingIntervalMs: null });
    expect(() => fundingRateOf({ ...rate, fundingTimestamp: undefined }, source)).toThrow('no fundingTimestamp');
  });
});

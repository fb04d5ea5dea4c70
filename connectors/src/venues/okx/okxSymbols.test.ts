import { beforeAll, describe, expect, it } from 'vitest';
import type { IntentOrder } from '@crossvenue/schemas';
import {
  InvalidInputError,
  toSymbolMetadata,
  type Market,
  parseIntentOrder,
  parseSymbol,
  validateOrder,
} from '@crossvenue/schemas';
import { HAVE_VENUE_DATA, NO_VENUE_DATA, recordedJson, recordedResponses } from '@crossvenue/schemas/testing';
import { okxSymbolMetadata, type OkxInstrument } from './okxSymbols.ts';

if (!HAVE_VENUE_DATA) console.warn(`okx.test.ts: ${NO_VENUE_DATA}`);

type InstrumentsResponse = { data: OkxInstrument[] };

describe.skipIf(!HAVE_VENUE_DATA)('okx instruments, recorded 2022-05-13 (cryptofeed OKX.0)', () => {
  let responses: InstrumentsResponse[];
  let instruments: OkxInstrument[];
  let btcUsdt: Market;
  const byId = (instId: string) => okxSymbolMetadata(instruments.find((i) => i.instId === instId)!);
  beforeAll(() => {
    responses = recordedResponses('cryptofeed/sample_data/OKX.0') as InstrumentsResponse[];
    instruments = responses.flatMap((r) => r.data);
    btcUsdt = byId('BTC-USDT');
  });

  it('parses every instrument of the 25 responses into a unified symbol ccxt would write', () => {
    expect(responses).toHaveLength(25);
    for (const instrument of instruments) {
      const market = okxSymbolMetadata(instrument);
      const parts = parseSymbol(market.instrument);
      // The venue id carries the same expiry, strike and option type: BTC-USD-220514-22000-C.
      const suffix = [parts.expiry, parts.strike, parts.optionType].filter(Boolean).join('-');
      if (suffix) expect(instrument.instId.endsWith(suffix)).toBe(true);
    }
  });

  it.each([
    ['BTC-USDT', 'BTC/USDT', 'SPOT', null, false],
    ['BTC-USDT-SWAP', 'BTC/USDT:USDT', 'PERP', '0.01', false],
    ['BTC-USD-SWAP', 'BTC/USD:BTC', 'PERP', '100', true],
    ['BTC-USD-220520', 'BTC/USD:BTC-220520', 'FUTURE', '100', true],
    ['BTC-USD-220514-22000-C', 'BTC/USD:BTC-220514-22000-C', 'OPTION', '0.1', false],
  ])('names %s %s, a %s with contract size %s (inverse %s)', (instId, instrument, assetType, contractSize, inverse) => {
    expect(toSymbolMetadata(byId(instId), 'e', 0)).toMatchObject({ instrument, assetType, contractSize, inverse, venueSymbol: instId });
  });

  it('reads BTC-USDT spot rules exactly', () => {
    expect(toSymbolMetadata(btcUsdt, 'meta:okx:BTC-USDT', 1_652_458_996_256)).toMatchObject({
      venue: 'okx',
      base: 'BTC',
      quote: 'USDT',
      settle: null,
      active: true,
      priceTick: '0.1',
      quantityStep: '0.00000001',
      minQuantity: '0.00001',
      maxQuantity: '9999999999',
      maxMarketQuantity: '1000000',
      minPrice: null,
      minNotional: null,
      reduceOnly: false,
      expiryMs: null,
    });
  });

  it('reads an option expiry, strike and kind', () => {
    expect(toSymbolMetadata(byId('BTC-USD-220514-22000-C'), 'e', 0)).toMatchObject({
      expiryMs: 1_652_515_200_000,
      strike: '22000',
      optionKind: 'CALL',
      orderTypes: ['LIMIT'],
      settle: 'BTC',
    });
  });

  describe('orders on real BTC-USDT', () => {
    const valid: IntentOrder = {
      side: 'SELL',
      amount: '0.01',
      amountType: 'BASE',
      limitPrice: '29105.1',
      timeInForce: 'GTC',
      expireAtMs: null,
      postOnly: true,
      reduceOnly: false,
      trigger: null,
      icebergQuantity: null,
    };
    const check = (changes: Partial<IntentOrder>) => validateOrder(parseIntentOrder('BTC/USDT', { ...valid, ...changes }), btcUsdt);

    it('accepts a valid order', () => {
      expect(check({})).toEqual([]);
      expect(check({ limitPrice: null, postOnly: false, trigger: { type: 'STOP', triggerPrice: '28000' } })).toEqual([]);
    });

    it.each<[string, Partial<IntentOrder>, string[]]>([
      ['below the minimum quantity', { amount: '0.000009' }, ['MIN_QUANTITY']],
      ['off the lot step', { amount: '0.000010001' }, ['STEP']],
      ['above the maximum quantity', { amount: '10000000000' }, ['MAX_QUANTITY']],
      ['above the market-order maximum', { amount: '1000001', limitPrice: null, postOnly: false }, ['MAX_QUANTITY']],
      ['off the tick', { limitPrice: '29105.15' }, ['TICK']],
      ['a trigger off the tick', { trigger: { type: 'TAKE_PROFIT', triggerPrice: '30000.01' } }, ['TICK']],
      ['time in force GTD', { timeInForce: 'GTD', expireAtMs: 1_652_500_000_000 }, ['UNSUPPORTED_TIME_IN_FORCE']],
      ['reduce-only on spot', { reduceOnly: true }, ['UNSUPPORTED_FLAG']],
      ['a quote amount too small for one lot', { amount: '0.0001', amountType: 'QUOTE' }, ['MIN_QUANTITY']],
    ])('reports %s', (_case, changes, expected) => {
      expect(check(changes).map((v) => v.code)).toEqual(expected);
    });

    it('explains each broken rule with the venue numbers', () => {
      expect(check({ amount: '0.000009', limitPrice: '29105.15' }).map((v) => v.message)).toEqual([
        'price 29105.15 is not a multiple of the tick 0.1 for BTC/USDT on okx',
        'quantity 0.000009 BTC is below the minimum 0.00001 BTC for BTC/USDT on okx',
      ]);
    });
  });
});

describe.skipIf(!HAVE_VENUE_DATA)('okx instruments, current format (nautilus_trader fixtures)', () => {
  const read = (file: string) => (recordedJson(`nautilus_trader/crates/adapters/okx/test_data/${file}`) as InstrumentsResponse).data;

  it.each([
    ['http_get_instruments_spot.json', 'BTC-USD', 'BTC/USD', '0.1'],
    ['http_get_instruments_swap.json', 'BTC-USD-SWAP', 'BTC/USD:BTC', '0.1'],
    ['http_get_instruments_margin.json', 'BTC-USDT', 'BTC/USDT', '0.1'],
    ['http_get_instruments_option.json', 'BTC-USD-241217-92000-C', 'BTC/USD:BTC-241217-92000-C', '0.0001'],
  ])('%s: %s is %s with tick %s', (file, instId, instrument, priceTick) => {
    const instruments = read(file);
    expect(instruments.map(okxSymbolMetadata)).toHaveLength(instruments.length);
    const market = toSymbolMetadata(okxSymbolMetadata(instruments.find((i) => i.instId === instId)!), 'e', 0);
    expect(market).toMatchObject({ instrument, priceTick });
  });

  it('trims the zeros OKX pads its newer sizes with', () => {
    const [btcUsd] = read('http_get_instruments_spot.json');
    expect(toSymbolMetadata(okxSymbolMetadata(btcUsd!), 'e', 0).maxQuantity).toBe('9999999999');
  });
});

describe('okx instruments, malformed', () => {
  const spot = {
    instType: 'SPOT',
    instId: 'BTC-USDT',
    uly: '',
    baseCcy: 'BTC',
    quoteCcy: 'USDT',
    settleCcy: '',
    ctVal: '',
    ctMult: '',
    ctType: '',
    expTime: '',
    stk: '',
    optType: '',
    tickSz: '0.1',
    lotSz: '0.00000001',
    minSz: '0.00001',
    maxLmtSz: '9999999999',
    maxMktSz: '1000000',
    state: 'live',
  } satisfies OkxInstrument;

  it.each([
    [{ instType: 'SPREAD' }, 'okx BTC-USDT: unknown instType "SPREAD"'],
    [{ tickSz: '1e-1' }, 'okx BTC-USDT tickSz: "1e-1" is not a decimal'],
    [{ expTime: 'soon' }, 'okx BTC-USDT expTime: "soon" is not epoch milliseconds'],
  ])('refuses %j', (changes, message) => {
    expect(() => okxSymbolMetadata({ ...spot, ...changes })).toThrow(new InvalidInputError(message));
  });

  it('marks a suspended instrument inactive', () => {
    expect(okxSymbolMetadata({ ...spot, state: 'suspend' }).active).toBe(false);
  });
});

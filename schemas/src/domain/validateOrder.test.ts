import { describe, expect, it } from 'vitest';
import type { IntentOrder } from '../messages/Intent.ts';
import type { SymbolMetadata } from '../messages/SymbolMetadata.ts';
import { Decimal } from './decimal.ts';
import { parseSymbolMetadata } from './market.ts';
import { parseIntentOrder } from './order.ts';
import { validateOrder } from './validateOrder.ts';

const spotRules: SymbolMetadata = {
  eventId: 'meta:binance:BTCUSDT',
  venue: 'binance',
  instrument: 'BTC/USDT',
  venueSymbol: 'BTCUSDT',
  assetType: 'SPOT',
  base: 'BTC',
  quote: 'USDT',
  settle: null,
  active: true,
  contractSize: null,
  inverse: false,
  expiryMs: null,
  strike: null,
  optionKind: null,
  minQuantity: '0.0001',
  maxQuantity: '100',
  maxMarketQuantity: '10',
  quantityStep: '0.0001',
  minPrice: '0.01',
  maxPrice: '1000000',
  priceTick: '0.01',
  minNotional: '5',
  maxNotional: '9000000',
  orderTypes: ['MARKET', 'LIMIT', 'STOP_LIMIT'],
  timeInForce: ['GTC', 'IOC', 'FOK'],
  postOnly: false,
  reduceOnly: false,
  iceberg: true,
  makerFee: null,
  takerFee: null,
  receivedAtMs: 0,
};
const spot = parseSymbolMetadata(spotRules);

const limitBuy: IntentOrder = {
  side: 'BUY',
  amount: '0.1',
  amountType: 'BASE',
  limitPrice: '100',
  timeInForce: 'GTC',
  expireAtMs: null,
  postOnly: false,
  reduceOnly: false,
  trigger: null,
  icebergQuantity: null,
};
const order = (changes: Partial<IntentOrder> = {}, instrument = 'BTC/USDT') => parseIntentOrder(instrument, { ...limitBuy, ...changes });
const codes = (changes: Partial<IntentOrder>, market = spot, referencePrice: string | null = null) =>
  validateOrder(order(changes), market, referencePrice === null ? null : new Decimal(referencePrice)).map((v) => v.code);
const messages = (changes: Partial<IntentOrder>) => validateOrder(order(changes), spot).map((v) => v.message);

describe('validateOrder', () => {
  it('finds nothing wrong with an order the venue accepts', () => {
    expect(validateOrder(order(), spot)).toEqual([]);
    expect(codes({ amount: '10', amountType: 'QUOTE', limitPrice: '30000' })).toEqual([]);
    expect(codes({ limitPrice: null, amount: '10', timeInForce: 'IOC' }, spot, '100')).toEqual([]);
  });

  it('says what is wrong in words a trader understands', () => {
    expect(messages({ amount: '0.00001', limitPrice: '1000000' })).toEqual([
      'quantity 0.00001 BTC is below the minimum 0.0001 BTC for BTC/USDT on binance',
      'quantity 0.00001 BTC is not a multiple of the step 0.0001 BTC for BTC/USDT on binance',
    ]);
    expect(messages({ limitPrice: '100.123' })).toEqual(['price 100.123 is not a multiple of the tick 0.01 for BTC/USDT on binance']);
    expect(messages({ amount: '0.032' })).toEqual(['notional 3.2 USDT is below the minimum 5 USDT for BTC/USDT on binance']);
    expect(messages({ postOnly: true })).toEqual(['post-only is not supported for BTC/USDT on binance']);
    expect(messages({ timeInForce: 'GTD', expireAtMs: 1 })).toEqual(['time in force GTD is not supported for BTC/USDT on binance']);
  });

  it.each<[string, Partial<IntentOrder>, string[]]>([
    ['quantity above the maximum', { amount: '101' }, ['MAX_QUANTITY']],
    ['market quantity above the market maximum', { amount: '11', limitPrice: null }, ['MAX_QUANTITY']],
    ['price below the minimum', { limitPrice: '0.001', amount: '100' }, ['MIN_PRICE', 'TICK', 'MIN_NOTIONAL']],
    ['price above the maximum', { limitPrice: '1000001' }, ['MAX_PRICE']],
    ['notional above the maximum', { limitPrice: '1000000', amount: '10' }, ['MAX_NOTIONAL']],
    ['reduce-only', { reduceOnly: true }, ['UNSUPPORTED_FLAG']],
    ['stop-market', { limitPrice: null, trigger: { type: 'STOP', triggerPrice: '90' } }, ['UNSUPPORTED_ORDER_TYPE']],
    ['take-profit-limit', { trigger: { type: 'TAKE_PROFIT', triggerPrice: '110' } }, ['UNSUPPORTED_ORDER_TYPE']],
    ['trigger off the tick', { trigger: { type: 'STOP', triggerPrice: '90.001' } }, ['TICK']],
    ['zero amount', { amount: '0' }, ['NOT_POSITIVE']],
    ['negative price', { limitPrice: '-1' }, ['NOT_POSITIVE']],
    ['post-only IOC', { postOnly: true, timeInForce: 'IOC' }, ['UNSUPPORTED_FLAG', 'CONFLICTING_FIELDS']],
    ['GTD without expiry', { timeInForce: 'GTD' }, ['UNSUPPORTED_TIME_IN_FORCE', 'CONFLICTING_FIELDS']],
    ['expiry without GTD', { expireAtMs: 1_700_000_000_000 }, ['CONFLICTING_FIELDS']],
    ['iceberg off the step', { icebergQuantity: '0.00005' }, ['STEP']],
    ['iceberg as large as the order', { icebergQuantity: '0.1' }, ['CONFLICTING_FIELDS']],
    ['iceberg market order', { icebergQuantity: '0.01', limitPrice: null }, ['CONFLICTING_FIELDS']],
  ])('%s', (_case, changes, expected) => {
    expect(codes(changes)).toEqual(expected);
  });

  it('converts a quote amount at the limit price, rounded down to the step as it would be sent', () => {
    expect(messages({ amount: '2', amountType: 'QUOTE', limitPrice: '30000' })).toEqual([
      'quantity 0 BTC (2 USDT at 30000) is below the minimum 0.0001 BTC for BTC/USDT on binance',
      'notional 0 USDT is below the minimum 5 USDT for BTC/USDT on binance',
    ]);
    // 5.5 USDT buys 0.000183 BTC, sent as 0.0001 BTC: 3 USDT, below the minimum notional.
    expect(codes({ amount: '5.5', amountType: 'QUOTE', limitPrice: '30000' })).toEqual(['MIN_NOTIONAL']);
  });

  it('checks a market quote amount as the notional it is', () => {
    expect(messages({ amount: '3', amountType: 'QUOTE', limitPrice: null })).toEqual([
      'notional 3 USDT is below the minimum 5 USDT for BTC/USDT on binance',
    ]);
  });

  it('checks the notional of a market order only against a reference price', () => {
    expect(codes({ amount: '0.01', limitPrice: null })).toEqual([]);
    expect(codes({ amount: '0.01', limitPrice: null }, spot, '100')).toEqual(['MIN_NOTIONAL']);
  });

  it('refuses to trade a halted market or the wrong instrument', () => {
    expect(codes({}, { ...spot, active: false })).toEqual(['MARKET_INACTIVE']);
    expect(validateOrder(order({}, 'ETH/USDT'), spot).map((v) => v.code)).toEqual(['INSTRUMENT_MISMATCH']);
  });

  it('reports every broken rule of one order, not just the first', () => {
    const everything: Partial<IntentOrder> = {
      amount: '0.00001',
      limitPrice: '0.001',
      timeInForce: 'GTD',
      postOnly: true,
      reduceOnly: true,
    };
    expect(codes(everything)).toEqual([
      'UNSUPPORTED_TIME_IN_FORCE',
      'UNSUPPORTED_FLAG',
      'UNSUPPORTED_FLAG',
      'CONFLICTING_FIELDS',
      'MIN_PRICE',
      'TICK',
      'MIN_QUANTITY',
      'STEP',
      'MIN_NOTIONAL',
    ]);
  });

  it("checks a linear contract's order in the base asset, as its metadata states the rules (1 contract of 0.01 BTC: step 0.01 BTC)", () => {
    const perp = { ...spot, contractSize: new Decimal('0.01'), quantityStep: new Decimal('0.01'), minQuantity: new Decimal('0.01') };
    expect(codes({ amount: '0.02', limitPrice: '1000' }, perp)).toEqual([]);
    expect(validateOrder(order({ amount: '0.015', limitPrice: '1000' }), perp).map((v) => v.message)).toEqual([
      'quantity 0.015 BTC is not a multiple of the step 0.01 BTC for BTC/USDT on binance',
    ]);
  });
});

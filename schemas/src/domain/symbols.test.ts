import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './errors.ts';
import { formatSymbol, parseSymbol, validateSymbol, type SymbolParts } from './symbols.ts';

const cases: [string, SymbolParts][] = [
  ['BTC/USDT', { base: 'BTC', quote: 'USDT' }],
  ['1000PEPE/USDT:USDT', { base: '1000PEPE', quote: 'USDT', settle: 'USDT' }],
  ['BTC/USD:BTC-220520', { base: 'BTC', quote: 'USD', settle: 'BTC', expiry: '220520' }],
  ['BTC/USD:BTC-220514-22000-C', { base: 'BTC', quote: 'USD', settle: 'BTC', expiry: '220514', strike: '22000', optionType: 'C' }],
  ['ETH/USD:ETH-220527-0.5-P', { base: 'ETH', quote: 'USD', settle: 'ETH', expiry: '220527', strike: '0.5', optionType: 'P' }],
];

describe('unified symbols', () => {
  it.each(cases)('%s parses to its parts and formats back', (symbol, parts) => {
    expect(parseSymbol(symbol)).toEqual(parts);
    expect(formatSymbol(parts)).toBe(symbol);
    expect(validateSymbol(symbol)).toBe(symbol);
  });

  it.each(['BTCUSDT', 'BTC-USDT', 'BTC/', '/USDT', 'BTC/USDT:', 'BTC/USDT-220520', 'BTC/USD:BTC-2205', 'BTC/USD:BTC-220520-22000', ' BTC/USDT'])(
    'refuses %j, saying which forms are valid',
    (raw) => {
      expect(() => parseSymbol(raw)).toThrow(
        new InvalidInputError(
          `invalid symbol ${JSON.stringify(raw)}: expected BASE/QUOTE, BASE/QUOTE:SETTLE, BASE/QUOTE:SETTLE-YYMMDD or BASE/QUOTE:SETTLE-YYMMDD-STRIKE-C|P, e.g. BTC/USDT`,
        ),
      );
    },
  );

  it('refuses parts that cannot make a symbol', () => {
    expect(() => formatSymbol({ base: 'BTC/X', quote: 'USDT' })).toThrow('cannot write {"base":"BTC/X","quote":"USDT"} as a unified symbol');
    expect(() => formatSymbol({ base: 'BTC', quote: 'USD', expiry: '220520' })).toThrow(InvalidInputError);
  });

  it('refuses what is not a string', () => {
    expect(() => validateSymbol(undefined)).toThrow('invalid symbol undefined');
  });
});

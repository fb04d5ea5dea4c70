import DecimalJs from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { compare, compareDecimalStrings, Decimal, formatDecimal, isMultipleOf, parseDecimal, roundToStep, type RoundingMode } from './decimal.ts';
import { InvalidInputError } from './errors.ts';

const d = (s: string) => new Decimal(s);

describe('parseDecimal', () => {
  it.each(['0', '-12.5', '0.01000000', '123456789012345678901234567890.123456789'])('accepts %s exactly', (raw) => {
    expect(parseDecimal(raw, 'price').eq(new DecimalJs(raw))).toBe(true);
  });

  it.each([
    ['1e5', 'tick: "1e5" is not a decimal'],
    ['abc', 'tick: "abc" is not a decimal'],
    ['NaN', 'tick: "NaN" is not a decimal'],
    ['Infinity', 'tick: "Infinity" is not a decimal'],
    [' 1', 'tick: " 1" is not a decimal'],
    ['', 'tick: "" is not a decimal'],
    [null, 'tick: null is not a decimal'],
    [0.1, 'tick: got the number 0.1; amounts must be decimal strings, a number may have lost digits'],
    [Number.NaN, 'tick: got the number NaN; amounts must be decimal strings, a number may have lost digits'],
  ])('refuses %j with a one-line error naming where', (raw, message) => {
    expect(() => parseDecimal(raw, 'tick')).toThrow(new InvalidInputError(message));
  });
});

describe('compareDecimalStrings', () => {
  const pairs = ['0', '-0', '0.000', '-0.001', '0.001', '1', '1.0', '01.5', '1.05', '1.5', '9.99', '10', '-10', '-9.99', '123456789012345678901.000000001', '123456789012345678901', '-123456789012345678901.1'];
  it('orders every pair exactly as Decimal does, zeros, signs, leading and trailing zeros included', () => {
    for (const a of pairs) for (const b of pairs) expect([a, b, compareDecimalStrings(a, b)]).toEqual([a, b, compare(d(a), d(b))]);
  });
});

describe('formatDecimal', () => {
  it('trims trailing zeros, never uses exponents and never writes -0', () => {
    expect(formatDecimal(parseDecimal('0.01000000', 'x'))).toBe('0.01');
    expect(formatDecimal(d('0.00000001').times('0.0000001'))).toBe('0.000000000000001');
    expect(formatDecimal(d('1e25'))).toBe('10000000000000000000000000');
    expect(formatDecimal(d('-0'))).toBe('0');
  });
});

describe('arithmetic', () => {
  it('is exact where binary floating point is not', () => {
    expect(formatDecimal(d('0.1').plus('0.2'))).toBe('0.3');
    expect(formatDecimal(d('29100.12').times('0.05'))).toBe('1455.006');
  });

  it('does not change the global decimal.js configuration', () => {
    expect(DecimalJs.precision).toBe(20);
    expect(Decimal.precision).toBe(40);
  });

  it('compares', () => {
    expect([d('2'), d('-1'), d('1.5')].sort(compare).map(formatDecimal)).toEqual(['-1', '1.5', '2']);
  });
});

describe('roundToStep', () => {
  const cases: [string, string, RoundingMode, string][] = [
    ['100.126', '0.01', 'DOWN', '100.12'],
    ['100.121', '0.01', 'UP', '100.13'],
    ['-100.126', '0.01', 'DOWN', '-100.12'],
    ['-100.126', '0.01', 'FLOOR', '-100.13'],
    ['-100.121', '0.01', 'CEIL', '-100.12'],
    ['100.125', '0.01', 'HALF_EVEN', '100.12'],
    ['100.135', '0.01', 'HALF_EVEN', '100.14'],
    ['100.125', '0.01', 'HALF_UP', '100.13'],
    ['100.125', '0.01', 'HALF_DOWN', '100.12'],
    ['0.000123456', '0.00001', 'DOWN', '0.00012'],
    ['7', '5', 'HALF_UP', '5'],
    ['7.5', '5', 'HALF_UP', '10'],
    ['0.95', '0.3', 'DOWN', '0.9'],
    ['0.75', '0.3', 'HALF_EVEN', '0.6'],
    ['0.45', '0.3', 'HALF_EVEN', '0.6'],
    ['100.12', '0.01', 'UP', '100.12'],
    ['0', '0.01', 'UP', '0'],
  ];

  it.each(cases)('%s to step %s rounding %s is %s', (value, step, mode, expected) => {
    expect(formatDecimal(roundToStep(d(value), d(step), mode))).toBe(expected);
  });

  it('stays exact where value/step needs more digits than the precision', () => {
    // value/step = 1e30 + 0.5 + 1e-15: rounded to 40 digits it looks like an exact half, which
    // HALF_EVEN would send down to the even 1e30; it is above the half, so it rounds up.
    const value = d('3000000000000000000000000000001.500000000000003');
    expect(formatDecimal(roundToStep(value, d('3'), 'HALF_EVEN'))).toBe('3000000000000000000000000000003');
  });

  it('refuses a step that is not positive', () => {
    expect(() => roundToStep(d('1'), d('0'), 'DOWN')).toThrow('step must be positive, got 0');
    expect(() => isMultipleOf(d('1'), d('-0.1'))).toThrow('step must be positive, got -0.1');
  });
});

describe('isMultipleOf', () => {
  it.each([
    ['100.12', '0.01', true],
    ['100.123', '0.01', false],
    ['0.00001', '0.00001', true],
    ['0.9', '0.3', true],
    ['-0.6', '0.3', true],
    ['1', '0.3', false],
  ])('%s of %s: %s', (value, step, expected) => {
    expect(isMultipleOf(d(value), d(step))).toBe(expected);
  });
});

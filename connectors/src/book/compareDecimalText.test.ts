import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { compareDecimalText, isZeroNumeral } from './compareDecimalText.ts';

describe('compareDecimalText', () => {
  it('orders numerals exactly, whatever their spelling', () => {
    const cases: Array<[string, string, number]> = [
      ['0.5', '0.45', 1],
      ['0.45', '0.4', 1],
      ['1.10', '1.1', 0],
      ['001.1', '1.10000', 0],
      ['9.99', '10', -1],
      ['64000.01', '64000.1', -1],
      ['0.00000001', '0', 1],
      ['12345678901234567890.000000001', '12345678901234567890.000000002', -1],
      ['1e-8', '0.00000001', 0],
      ['2E+3', '1999.99', 1],
    ];
    for (const [a, b, expected] of cases) {
      expect([a, b, compareDecimalText(a, b)]).toEqual([a, b, expected]);
      expect(compareDecimalText(b, a)).toBe(-expected || 0);
      expect(new Decimal(a).comparedTo(b)).toBe(expected);
    }
  });

  it('rejects what is not a number', () => {
    expect(() => compareDecimalText('12,5', '1')).toThrow();
    expect(() => isZeroNumeral('n/a')).toThrow();
  });

  it('knows zero in every spelling', () => {
    expect(['0', '0.00000000', '000.0', '0E-8'].map(isZeroNumeral)).toEqual([true, true, true, true]);
    expect(['0.00000001', '10', '1e-8'].map(isZeroNumeral)).toEqual([false, false, false]);
  });
});

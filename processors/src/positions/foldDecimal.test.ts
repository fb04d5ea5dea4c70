import { Decimal } from '@crossvenue/schemas';
import { seededRandom } from '@crossvenue/runtime';
import { describe, expect, it } from 'vitest';
import { compare, dividedBy, foldDecimalOf, minus, plus, times, toDecimal } from './foldDecimal.ts';

/** Up to 45 digits (more than the precision), many zeros, nines and fives (carries and ties), exponents either side of the point. */
function randomDecimal(random: () => number): Decimal {
  if (random() < 0.03) return new Decimal(0);
  const length = 1 + Math.floor(random() * (random() < 0.3 ? 45 : 12));
  let digits = String(1 + Math.floor(random() * 9));
  for (let i = 1; i < length; i++) digits += random() < 0.3 ? '0' : random() < 0.2 ? '9' : random() < 0.1 ? '5' : String(Math.floor(random() * 10));
  return new Decimal(`${random() < 0.3 ? '-' : ''}${digits}e${Math.floor(random() * 40) - 25}`);
}

const OPERATIONS = { plus, minus, times, dividedBy } as const;

describe('foldDecimal: the digits decimal.js gives, on BigInt coefficients', () => {
  it.each(Object.keys(OPERATIONS) as Array<keyof typeof OPERATIONS>)('%s rounds as Decimal does (40 digits, half-even)', (name) => {
    const random = seededRandom(name.length);
    for (let i = 0; i < 20_000; i++) {
      const a = randomDecimal(random);
      // Near a, or cancelling it: the cases where carries, ties and sticky digits decide the rounding.
      const b = random() < 0.2 ? a.times(randomDecimal(random).abs().plus(1)).dividedBy(3) : random() < 0.1 ? a.negated().plus(`1e${Math.floor(random() * 60) - 50}`) : randomDecimal(random);
      if (name === 'dividedBy' && b.isZero()) continue;
      const expected = a[name](b).toFixed();
      expect(toDecimal(OPERATIONS[name](foldDecimalOf(a), foldDecimalOf(b))).toFixed(), `${a.toFixed()} ${name} ${b.toFixed()}`).toBe(expected);
    }
  });

  it('rounds a tie to even, and a tie with a remainder beyond it up', () => {
    const forty = '1234567890123456789012345678901234567890';
    const sum = (a: string, b: string) => toDecimal(plus(foldDecimalOf(new Decimal(a)), foldDecimalOf(new Decimal(b)))).toFixed();
    expect(sum(forty, '0.5')).toBe(forty);
    expect(sum(forty, '1.5')).toBe('1234567890123456789012345678901234567892');
    expect(sum(forty, '0.5000000000000000000000000000000000000000000001')).toBe('1234567890123456789012345678901234567891');
    expect(toDecimal(dividedBy(foldDecimalOf(new Decimal(2)), foldDecimalOf(new Decimal(3)))).toFixed()).toBe(new Decimal(2).dividedBy(3).toFixed());
  });

  it('compares and converts exactly', () => {
    const random = seededRandom(99);
    for (let i = 0; i < 5_000; i++) {
      const a = randomDecimal(random);
      const b = randomDecimal(random);
      expect(compare(foldDecimalOf(a), foldDecimalOf(b))).toBe(a.cmp(b));
      expect(toDecimal(foldDecimalOf(a)).eq(a)).toBe(true);
    }
  });
});

import { Decimal } from '@crossvenue/schemas';

/**
 * Our Decimal's arithmetic (Decimal.precision significant digits, half-even) on an exact BigInt
 * coefficient: value = coefficient x 10^exponent. Why: the position fold is the hot path of the
 * positions worker and of a partition takeover, and decimal.js spends most of a fold step copying
 * its argument and working through base-1e7 digit arrays (the profile in positions.bench.ts).
 * Every operation here is correctly rounded exactly as decimal.js rounds it (its plus, minus,
 * times and dividedBy are too), so the fold gives the same digits; foldDecimal.test.ts checks the
 * two against each other. Amounts enter and leave as Decimal (`foldDecimalOf`, `toDecimal`).
 */
export interface FoldDecimal {
  readonly coefficient: bigint;
  readonly exponent: number;
}

const PRECISION = Decimal.precision;
// The rounding below is half-even only: a Decimal configured otherwise would give other digits.
if (Decimal.rounding !== Decimal.ROUND_HALF_EVEN) throw new Error('foldDecimal rounds half-even, as Decimal is configured to');

const POWERS: bigint[] = [1n];
function pow10(n: number): bigint {
  while (POWERS.length <= n) POWERS.push(POWERS.at(-1)! * 10n);
  return POWERS[n]!;
}
const LIMIT = pow10(PRECISION);

export const FOLD_ZERO: FoldDecimal = { coefficient: 0n, exponent: 0 };

/** The number of decimal digits of `n` > 0, searched among the powers of ten (never through a JS number). */
function digits(n: bigint): number {
  let high = 1;
  while (n >= pow10(high)) high *= 2;
  // 10^low <= n < 10^high
  let low = high >> 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (n >= pow10(middle)) low = middle;
    else high = middle;
  }
  return high;
}

/** Rounds `coefficient` x 10^`exponent` to PRECISION significant digits, half to even. */
function rounded(coefficient: bigint, exponent: number): FoldDecimal {
  const magnitude = coefficient < 0n ? -coefficient : coefficient;
  if (magnitude < LIMIT) return { coefficient, exponent };
  const dropped = digits(magnitude) - PRECISION;
  const unit = pow10(dropped);
  let kept = magnitude / unit;
  const twice = (magnitude - kept * unit) * 2n;
  if (twice > unit || (twice === unit && (kept & 1n) === 1n)) kept += 1n;
  return { coefficient: coefficient < 0n ? -kept : kept, exponent: exponent + dropped };
}

export function plus(a: FoldDecimal, b: FoldDecimal): FoldDecimal {
  return sum(a, b.coefficient, b.exponent);
}

export function minus(a: FoldDecimal, b: FoldDecimal): FoldDecimal {
  return sum(a, -b.coefficient, b.exponent);
}

/** a + coefficient x 10^exponent, exact over the smaller exponent, then rounded. */
function sum(a: FoldDecimal, coefficient: bigint, exponent: number): FoldDecimal {
  if (a.exponent === exponent) return rounded(a.coefficient + coefficient, exponent);
  return a.exponent > exponent
    ? rounded(a.coefficient * pow10(a.exponent - exponent) + coefficient, exponent)
    : rounded(a.coefficient + coefficient * pow10(exponent - a.exponent), a.exponent);
}

export function times(a: FoldDecimal, b: FoldDecimal): FoldDecimal {
  return rounded(a.coefficient * b.coefficient, a.exponent + b.exponent);
}

/** a / b, b not zero: at least one digit more than PRECISION, then one more standing for a non-zero remainder, so the rounding sees a tie only when there is one. */
export function dividedBy(a: FoldDecimal, b: FoldDecimal): FoldDecimal {
  if (a.coefficient === 0n) return FOLD_ZERO;
  const x = a.coefficient < 0n ? -a.coefficient : a.coefficient;
  const y = b.coefficient < 0n ? -b.coefficient : b.coefficient;
  const shift = Math.max(0, PRECISION + 1 + digits(y) - digits(x));
  const scaled = x * pow10(shift);
  const quotient = scaled / y;
  const sticky = quotient * y === scaled ? 0n : 1n;
  const magnitude = rounded(quotient * 10n + sticky, a.exponent - b.exponent - shift - 1);
  return a.coefficient < 0n !== b.coefficient < 0n ? { coefficient: -magnitude.coefficient, exponent: magnitude.exponent } : magnitude;
}

export function compare(a: FoldDecimal, b: FoldDecimal): number {
  const difference = sum(a, -b.coefficient, b.exponent).coefficient;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

export function abs(a: FoldDecimal): FoldDecimal {
  return a.coefficient < 0n ? { coefficient: -a.coefficient, exponent: a.exponent } : a;
}

export function isZero(a: FoldDecimal): boolean {
  return a.coefficient === 0n;
}

export function isNegative(a: FoldDecimal): boolean {
  return a.coefficient < 0n;
}

const WORD = 10_000_000n;

/**
 * From a finite Decimal, read off its documented representation (digits `d` in base 1e7, the
 * first word without leading zeros; `e` the exponent of the first digit; sign `s`) rather than
 * through a string: this runs at every fold step.
 */
export function foldDecimalOf(value: Decimal): FoldDecimal {
  const words = value.d;
  if (!words) throw new RangeError(`${value.toString()} is not a finite amount`);
  let coefficient = BigInt(words[0]!);
  for (let index = 1; index < words.length; index++) coefficient = coefficient * WORD + BigInt(words[index]!);
  const exponent = value.e - (wordDigits(words[0]!) - 1) - 7 * (words.length - 1);
  return { coefficient: value.s < 0 ? -coefficient : coefficient, exponent };
}

/** The digits of one base-1e7 word (String(word).length, without the string). */
function wordDigits(word: number): number {
  return word < 10 ? 1 : word < 100 ? 2 : word < 1_000 ? 3 : word < 10_000 ? 4 : word < 100_000 ? 5 : word < 1_000_000 ? 6 : 7;
}

export function toDecimal(value: FoldDecimal): Decimal {
  return new Decimal(`${value.coefficient}e${value.exponent}`);
}

import DecimalJs from 'decimal.js';
import { DECIMAL_STRING } from '../avro/contract.ts';
import { InvalidInputError } from './errors.ts';

/**
 * Our own decimal.js constructor: 40 significant digits (a price times a quantity times a contract
 * size never needs more), banker's rounding when a result must be rounded, and plain notation in
 * toString(). A clone, so that the global Decimal, which other libraries may use, is never mutated.
 */
export const Decimal = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
export type Decimal = DecimalJs;

/** How to round to a step. UP and DOWN are away from and toward zero; CEIL and FLOOR toward +/- infinity. */
export type RoundingMode = 'UP' | 'DOWN' | 'CEIL' | 'FLOOR' | 'HALF_UP' | 'HALF_DOWN' | 'HALF_EVEN';

const ROUNDING: Record<RoundingMode, DecimalJs.Rounding> = {
  UP: DecimalJs.ROUND_UP,
  DOWN: DecimalJs.ROUND_DOWN,
  CEIL: DecimalJs.ROUND_CEIL,
  FLOOR: DecimalJs.ROUND_FLOOR,
  HALF_UP: DecimalJs.ROUND_HALF_UP,
  HALF_DOWN: DecimalJs.ROUND_HALF_DOWN,
  HALF_EVEN: DecimalJs.ROUND_HALF_EVEN,
};

/**
 * Parses a decimal string from the wire or a venue ("0.01000000", "-12.5"). Refuses anything else,
 * numbers included: a JS number may already have lost digits. `where` names the value in the error.
 */
export function parseDecimal(raw: unknown, where: string): Decimal {
  if (typeof raw === 'string' && DECIMAL_STRING.test(raw)) return new Decimal(raw);
  if (typeof raw === 'number') {
    throw new InvalidInputError(`${where}: got the number ${raw}; amounts must be decimal strings, a number may have lost digits`);
  }
  const shown = typeof raw === 'string' ? JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}...` : raw) : String(raw);
  throw new InvalidInputError(`${where}: ${shown} is not a decimal`);
}

export function parseNullableDecimal(raw: unknown, where: string): Decimal | null {
  return raw === null ? null : parseDecimal(raw, where);
}

/** The wire form: plain notation, no trailing zeros ("0.01000000" becomes "0.01"), never "-0". */
export function formatDecimal(value: Decimal): string {
  return value.isZero() ? '0' : value.toFixed();
}

export function formatNullableDecimal(value: Decimal | null): string | null {
  return value === null ? null : formatDecimal(value);
}

export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  return a.cmp(b) as -1 | 0 | 1;
}

/**
 * Compares two decimal strings of the wire's form (`-?digits(.digits)?`) exactly, without making
 * Decimals or any other object: for hot paths that only order values (a book's levels, checked on
 * every book, most of which are replaced before any of their levels is used).
 */
export function compareDecimalStrings(a: string, b: string): -1 | 0 | 1 {
  const negativeA = isNegative(a);
  if (negativeA !== isNegative(b)) return negativeA ? -1 : 1;
  const order = compareMagnitudes(a, a.charCodeAt(0) === MINUS ? 1 : 0, b, b.charCodeAt(0) === MINUS ? 1 : 0);
  return negativeA ? ((-order || 0) as -1 | 0 | 1) : order;
}

const MINUS = 45;
const ZERO_DIGIT = 48;
const DOT = 46;

/** A minus sign before any digit but zeros: "-0.00" is zero, neither negative nor positive. */
function isNegative(value: string): boolean {
  if (value.charCodeAt(0) !== MINUS) return false;
  for (let i = 1; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code !== ZERO_DIGIT && code !== DOT) return true;
  }
  return false;
}

// Plain locals, not destructured pairs: the router compares every level of every book with this
// (MarketView's order check), and the pairs' arrays showed in the backtest's profile.
/** The magnitudes of `a` from `fromA` and `b` from `fromB`, digit by digit: whole parts by length then digits, fractions as if padded with zeros. */
function compareMagnitudes(a: string, fromA: number, b: string, fromB: number): -1 | 0 | 1 {
  const dotA = a.indexOf('.', fromA);
  const dotB = b.indexOf('.', fromB);
  const wholeEndA = dotA < 0 ? a.length : dotA;
  const wholeEndB = dotB < 0 ? b.length : dotB;
  let startA = fromA;
  let startB = fromB;
  while (startA < wholeEndA && a.charCodeAt(startA) === ZERO_DIGIT) startA++;
  while (startB < wholeEndB && b.charCodeAt(startB) === ZERO_DIGIT) startB++;
  const whole = wholeEndA - startA;
  if (whole !== wholeEndB - startB) return whole < wholeEndB - startB ? -1 : 1;
  for (let i = 0; i < whole; i++) {
    const digitA = a.charCodeAt(startA + i);
    const digitB = b.charCodeAt(startB + i);
    if (digitA !== digitB) return digitA < digitB ? -1 : 1;
  }
  const fractionA = dotA < 0 ? 0 : a.length - dotA - 1;
  const fractionB = dotB < 0 ? 0 : b.length - dotB - 1;
  const fraction = Math.max(fractionA, fractionB);
  for (let i = 0; i < fraction; i++) {
    const digitA = i < fractionA ? a.charCodeAt(dotA + 1 + i) : ZERO_DIGIT;
    const digitB = i < fractionB ? b.charCodeAt(dotB + 1 + i) : ZERO_DIGIT;
    if (digitA !== digitB) return digitA < digitB ? -1 : 1;
  }
  return 0;
}

export function isMultipleOf(value: Decimal, step: Decimal): boolean {
  return value.mod(positive(step)).isZero();
}

const QUARTER = new Decimal('0.25');
const HALF = new Decimal('0.5');
const THREE_QUARTERS = new Decimal('0.75');

/**
 * Rounds `value` to a multiple of `step` (a tick or a lot) in the given mode, exactly. Dividing by
 * the step can need more digits than the precision (step 0.3), so the quotient is never rounded:
 * any rounding mode only needs the whole number of steps and where the remainder lies relative to
 * half a step, and both are computed exactly.
 */
export function roundToStep(value: Decimal, step: Decimal, mode: RoundingMode): Decimal {
  const steps = value.dividedToIntegerBy(positive(step));
  const remainder = value.minus(steps.times(step)).abs();
  const half = remainder.times(2).cmp(step);
  const fraction = remainder.isZero() ? new Decimal(0) : half < 0 ? QUARTER : half === 0 ? HALF : THREE_QUARTERS;
  const signed = steps.plus(value.isNegative() ? fraction.negated() : fraction);
  return signed.toDecimalPlaces(0, ROUNDING[mode]).times(step);
}

function positive(step: Decimal): Decimal {
  if (step.lte(0)) throw new InvalidInputError(`step must be positive, got ${formatDecimal(step)}`);
  return step;
}

import { Decimal } from '@crossvenue/schemas';

/** A plain non-negative numeral as venues write prices: digits, optionally a point and more digits. */
const PLAIN = /^\d+(?:\.\d+)?$/;

/**
 * The exact order of two decimal numerals, without parsing them into numbers: whole parts by
 * length then digits (leading zeros dropped), then fractions by digits (trailing zeros dropped).
 * Books compare prices on every update, and a Decimal per comparison was most of the cost of
 * keeping a book. Anything else (exponents, signs, garbage) goes through Decimal, which also
 * rejects what is not a number.
 */
export function compareDecimalText(a: string, b: string): number {
  if (!PLAIN.test(a) || !PLAIN.test(b)) return new Decimal(a).comparedTo(new Decimal(b));
  // Same length, point in the same place (a venue's fixed decimals): the text order is the order.
  if (a.length === b.length && a.indexOf('.') === b.indexOf('.')) return a < b ? -1 : a > b ? 1 : 0;
  const [aWhole, aFraction] = split(a);
  const [bWhole, bFraction] = split(b);
  if (aWhole.length !== bWhole.length) return aWhole.length < bWhole.length ? -1 : 1;
  if (aWhole !== bWhole) return aWhole < bWhole ? -1 : 1;
  if (aFraction === bFraction) return 0;
  return aFraction < bFraction ? -1 : 1;
}

function split(numeral: string): [whole: string, fraction: string] {
  const point = numeral.indexOf('.');
  const whole = (point < 0 ? numeral : numeral.slice(0, point)).replace(/^0+/, '');
  const fraction = point < 0 ? '' : numeral.slice(point + 1).replace(/0+$/, '');
  return [whole, fraction];
}

/** Whether a numeral is zero in any spelling ("0", "0.00000000", "0E-8"); throws on what is not a number. */
export function isZeroNumeral(numeral: string): boolean {
  return PLAIN.test(numeral) ? !/[1-9]/.test(numeral) : new Decimal(numeral).isZero();
}

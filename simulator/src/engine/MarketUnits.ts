import { Decimal } from '@crossvenue/schemas';
import type { MarketRules } from './types.ts';

/** decimal.js keeps its digits in base-1e7 words (its documented `d`, `e`, `s`). */
const WORD = 1e7;
const WORD_DIGITS = 7;

/**
 * One market's prices and quantities as exact integers, for the engine's hot path: a price is a
 * count of 10^-pricePlaces, a quantity a count of 10^-quantityPlaces, the places of the market's
 * tick and step (and bounds). Comparing, ordering and checking filters on such integers costs a
 * machine instruction where a Decimal costs an allocation. Every accepted value is a safe integer:
 * the bounds are capped at 2^53 - 1 units (a quantity beyond 90 million of the base asset at eight
 * places), and a value that is not a whole number of units fails its filter as off-step.
 */
export class MarketUnits {
  readonly pricePlaces: number;
  readonly quantityPlaces: number;
  readonly tick: number;
  readonly minPrice: number;
  readonly maxPrice: number;
  readonly step: number;
  readonly minQty: number;
  readonly maxQty: number;
  /** The smallest quantity × price, in units of both, that meets the notional filter (and as a Number, exact below 2^53). */
  private readonly minNotional: bigint;
  private readonly minNotionalNumber: number;

  constructor(readonly rules: MarketRules) {
    if (rules.tickSize.isZero() || rules.stepSize.isZero()) throw new Error(`market ${rules.symbol}: the engine needs a tick size and a step size`);
    this.pricePlaces = Math.max(rules.tickSize.decimalPlaces(), rules.minPrice.decimalPlaces(), rules.maxPrice.decimalPlaces());
    this.quantityPlaces = Math.max(rules.stepSize.decimalPlaces(), rules.minQty.decimalPlaces(), rules.maxQty.decimalPlaces());
    const bound = (value: Decimal, places: number) => toUnits(value, places) ?? Number.MAX_SAFE_INTEGER;
    this.tick = bound(rules.tickSize, this.pricePlaces);
    this.minPrice = bound(rules.minPrice, this.pricePlaces);
    this.maxPrice = bound(rules.maxPrice, this.pricePlaces);
    this.step = bound(rules.stepSize, this.quantityPlaces);
    this.minQty = bound(rules.minQty, this.quantityPlaces);
    this.maxQty = bound(rules.maxQty, this.quantityPlaces);
    this.minNotional = BigInt(rules.minNotional.times(new Decimal(10).pow(this.pricePlaces + this.quantityPlaces)).ceil().toFixed());
    this.minNotionalNumber = Number(this.minNotional);
  }

  /** The price in units, or undefined if it is not a whole, safe number of them. */
  price(value: Decimal): number | undefined {
    return toUnits(value, this.pricePlaces);
  }

  /** The quantity in units ("lots"), or undefined if it is not a whole, safe number of them. */
  lots(value: Decimal): number | undefined {
    return toUnits(value, this.quantityPlaces);
  }

  /** quantity × price below the notional filter; exact, in BigInt only when the product passes 2^53. */
  belowMinNotional(quantity: number, price: number): boolean {
    const product = quantity * price;
    return Number.isSafeInteger(product) ? product < this.minNotionalNumber : BigInt(quantity) * BigInt(price) < this.minNotional;
  }
}

/** `value` × 10^places as a safe integer, read off decimal.js's digit words; undefined if not whole or not safe. */
function toUnits(value: Decimal, places: number): number | undefined {
  const words = value.d;
  if (!words) return undefined;
  if (value.isZero()) return 0;
  // The digits as one integer: the words in turn, the last without its trailing zeros (it is padded to seven digits).
  const lastIndex = words.length - 1;
  let last = words[lastIndex]!;
  let lastDigits = lastIndex === 0 ? digitCount(last) : WORD_DIGITS;
  while (last % 10 === 0) {
    last /= 10;
    lastDigits--;
  }
  let whole = 0;
  for (let i = 0; i < lastIndex; i++) whole = whole * WORD + words[i]!;
  whole = whole * 10 ** lastDigits + last;
  if (whole > Number.MAX_SAFE_INTEGER) return undefined;
  // `value.e` is the exponent of the first digit.
  const digits = (lastIndex === 0 ? 0 : digitCount(words[0]!) + WORD_DIGITS * (lastIndex - 1)) + lastDigits;
  const shift = value.e - digits + 1 + places;
  let units: number;
  if (shift >= 0) {
    units = whole * 10 ** shift;
    if (!Number.isSafeInteger(units)) return undefined;
  } else {
    // A power of ten beyond 2^53 is still exact as a double, and leaves a nonzero `whole` as the remainder.
    const divisor = 10 ** -shift;
    if (whole % divisor !== 0) return undefined;
    units = whole / divisor;
  }
  return value.s < 0 ? -units : units;
}

function digitCount(word: number): number {
  let digits = 1;
  for (let rest = word; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  return digits;
}

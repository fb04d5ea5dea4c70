import { Decimal } from '@crossvenue/schemas';

/**
 * ccxt parses the venue's decimal strings into JS numbers. Converting back with the shortest
 * round-trip representation recovers the venue's string exactly for up to 15 significant digits,
 * which covers every spot price, quantity and fee the venues send; we never compute on the number.
 */
export function fromCcxtNumber(value: number | undefined | null, what: string): string {
  if (value === undefined || value === null || !Number.isFinite(value)) throw new Error(`ccxt ${what}: expected a number, got ${String(value)}`);
  return new Decimal(value.toString()).toFixed();
}

export function fromOptionalCcxtNumber(value: number | undefined | null): string | null {
  return value === undefined || value === null || !Number.isFinite(value) ? null : new Decimal(value.toString()).toFixed();
}

/**
 * ccxt's typings declare amounts and prices as number, but it formats them with
 * amountToPrecision/priceToPrecision, which take decimal strings; passing the string keeps a
 * quantity from ever being a float on its way to the venue.
 */
export function toCcxtAmount(decimalString: string): number {
  return decimalString as unknown as number;
}

import { Decimal } from '@crossvenue/schemas';
import ccxt, { type Exchange } from 'ccxt';

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

/**
 * A tick or lot step from a ccxt precision: a step itself in TICK_SIZE mode, a number of decimals
 * in DECIMAL_PLACES mode; SIGNIFICANT_DIGITS has no fixed step (null).
 * https://docs.ccxt.com/#/README?id=precision-mode
 */
export function precisionStep(exchange: Pick<Exchange, 'precisionMode'>, precision: number | undefined): Decimal | null {
  const raw = fromOptionalCcxtNumber(precision);
  const value = raw === null ? null : new Decimal(raw);
  if (value === null || value.isZero()) return null;
  if (exchange.precisionMode === ccxt.TICK_SIZE) return value;
  if (exchange.precisionMode === ccxt.DECIMAL_PLACES) return new Decimal(10).pow(value.neg());
  return null;
}

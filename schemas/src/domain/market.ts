import type { AmountType } from '../messages/Intent.ts';
import type { SymbolMetadata } from '../messages/SymbolMetadata.ts';
import { Decimal, formatNullableDecimal, parseNullableDecimal } from './decimal.ts';
import { parseVenueId, type VenueId } from './ids.ts';
import { validateSymbol, type UnifiedSymbol } from './symbols.ts';

const DECIMAL_FIELDS = [
  'contractSize',
  'strike',
  'minQuantity',
  'maxQuantity',
  'maxMarketQuantity',
  'quantityStep',
  'minPrice',
  'maxPrice',
  'priceTick',
  'minNotional',
  'maxNotional',
  'makerFee',
  'takerFee',
] as const satisfies readonly (keyof SymbolMetadata)[];
type DecimalField = (typeof DECIMAL_FIELDS)[number];

/**
 * Symbol metadata with exact values: what one market on one venue accepts. The fields and their
 * meaning are those of the SymbolMetadata message (see its docs), with decimals parsed and ids
 * validated; quantities are in the base asset, a linear contract's too (its connector converts to
 * contracts at the venue), and in contracts only for an inverse contract.
 */
export type Market = Omit<SymbolMetadata, 'eventId' | 'receivedAtMs' | 'venue' | 'instrument' | DecimalField> & {
  venue: VenueId;
  instrument: UnifiedSymbol;
} & Record<DecimalField, Decimal | null>;

export function parseSymbolMetadata(message: SymbolMetadata): Market {
  const { eventId: _eventId, receivedAtMs: _receivedAtMs, ...fields } = message;
  const where = `${message.venue} ${message.instrument}`;
  const decimals = Object.fromEntries(
    DECIMAL_FIELDS.map((name) => [name, parseNullableDecimal(message[name], `${where} ${name}`)]),
  ) as Record<DecimalField, Decimal | null>;
  return { ...fields, ...decimals, venue: parseVenueId(message.venue), instrument: validateSymbol(message.instrument) };
}

export function toSymbolMetadata(market: Market, eventId: string, receivedAtMs: number): SymbolMetadata {
  const decimals = Object.fromEntries(DECIMAL_FIELDS.map((name) => [name, formatNullableDecimal(market[name])])) as Record<
    DecimalField,
    string | null
  >;
  return { eventId, ...market, ...decimals, receivedAtMs };
}

const ONE = new Decimal(1);

/** What the market's quantities count: the base asset, or contracts for an inverse contract. */
export function quantityUnit(market: Market): string {
  return market.inverse ? 'contracts' : market.base;
}

/**
 * The size of an order in the market's quantity unit, from an amount in the base asset or in the
 * quote currency. Null when the conversion needs a price and none is given (a quote amount, or a
 * base amount of an inverse contract, whose contracts are worth a fixed amount of the quote currency).
 */
export function venueQuantity(market: Market, amount: Decimal, amountType: AmountType, price: Decimal | null): Decimal | null {
  if (market.inverse) {
    const size = market.contractSize ?? ONE;
    if (amountType === 'QUOTE') return amount.div(size);
    return price === null ? null : amount.times(price).div(size);
  }
  if (amountType === 'BASE') return amount;
  return price === null ? null : amount.div(price);
}

/** What `quantity`, in the market's quantity unit, is worth at `price`, in the quote currency. */
export function notional(market: Market, quantity: Decimal, price: Decimal): Decimal {
  return market.inverse ? quantity.times(market.contractSize ?? ONE) : quantity.times(price);
}

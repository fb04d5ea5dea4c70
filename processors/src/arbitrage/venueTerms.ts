import { Decimal, type SymbolMetadata } from '@crossvenue/schemas';
import type { VenueTerms } from './OrderGroup.ts';

/**
 * A venue's rules and fees for one instrument, from its ref.symbols record, fees falling back on
 * the configured defaults; undefined while the market is halted or no taker fee is known (such a
 * venue is not traded).
 */
export function venueTerms(market: SymbolMetadata | undefined, defaults: { takerFee: Decimal | null; makerFee: Decimal | null }): VenueTerms | undefined {
  if (market?.active === false) return undefined;
  const fee = (known: string | null | undefined, fallback: Decimal | null) => (known != null ? new Decimal(known) : fallback);
  const takerFee = fee(market?.takerFee, defaults.takerFee);
  if (takerFee === null) return undefined;
  const rule = (value: string | null | undefined) => (value != null ? new Decimal(value) : null);
  return {
    takerFee,
    makerFee: fee(market?.makerFee, defaults.makerFee),
    quantityStep: rule(market?.quantityStep),
    priceTick: rule(market?.priceTick),
    minQuantity: rule(market?.minQuantity),
    minNotional: rule(market?.minNotional),
  };
}

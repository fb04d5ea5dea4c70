import { Decimal, notional, quantityUnit, roundToStep, type Market } from '@crossvenue/schemas';

export type Fit = { quantity: Decimal; capped: string | null } | { skip: string };

/**
 * The part of `wanted` (signed, base asset) a follower can send to its venue now: capped at
 * `maxOrderQuantity` and the venue's maximum, rounded down to the venue's step (all in the base
 * asset, a perpetual's too), and at least the venue's minimum quantity and notional at `price`.
 * `available` (base asset, null: unknown) caps a spot copy at what the follower's latest balances
 * can pay for or deliver, so a copy is not sent only to be refused for insufficient balance.
 * What it cannot send stays residual with the caller; a skip says which rule stopped it.
 * Inverse contracts are not copied: their size in the base asset moves with the price.
 */
export function fitToVenue(wanted: Decimal, market: Market | undefined, price: Decimal | null, maxOrderQuantity: Decimal | null, available: Decimal | null = null): Fit {
  if (wanted.isZero()) return { skip: 'nothing to trade' };
  if (!market) return { skip: 'no symbol metadata (ref.symbols) for the follower instrument yet' };
  const on = `${market.instrument} on ${market.venue}`;
  if (!market.active) return { skip: `${on} is not trading` };
  if (market.inverse) return { skip: `${on} is an inverse contract, which is not copied` };
  let capped: string | null = null;
  let base = wanted.abs();
  if (maxOrderQuantity !== null && base.gt(maxOrderQuantity)) {
    base = maxOrderQuantity;
    capped = `capped at the follower's maxOrderQuantity ${maxOrderQuantity.toFixed()}`;
  }
  if (available !== null && base.gt(available)) {
    base = Decimal.max(available, 0);
    capped = `capped at the available balance (${base.toFixed()} ${market.base})`;
  }
  let quantity = base;
  if (market.maxQuantity !== null && quantity.gt(market.maxQuantity)) {
    quantity = market.maxQuantity;
    capped = `capped at the venue's maximum ${market.maxQuantity.toFixed()} ${quantityUnit(market)}`;
  }
  if (market.quantityStep !== null) quantity = roundToStep(quantity, market.quantityStep, 'DOWN');
  const unit = quantityUnit(market);
  if (quantity.isZero() || (market.minQuantity !== null && quantity.lt(market.minQuantity))) {
    const floor = market.minQuantity ?? market.quantityStep;
    return { skip: `${base.toFixed()} ${market.base} is below the minimum ${floor?.toFixed() ?? 'step'} ${unit} for ${on}${capped ? ` (${capped})` : ''}` };
  }
  if (market.minNotional !== null) {
    if (price === null) return { skip: `no price to check the minimum notional ${market.minNotional.toFixed()} for ${on}` };
    const value = notional(market, quantity, price);
    if (value.lt(market.minNotional)) return { skip: `notional ${value.toFixed()} ${market.quote} is below the minimum ${market.minNotional.toFixed()} for ${on}${capped ? ` (${capped})` : ''}` };
  }
  return { quantity: quantity.times(wanted.s), capped };
}

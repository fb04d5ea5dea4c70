import type { Decimal } from '@crossvenue/schemas';
import { EngineRejection } from './EngineRejection.ts';
import type { MarketRules, OrderRequest } from './types.ts';

/**
 * Binance's symbol filters, exact: PRICE_FILTER, LOT_SIZE and NOTIONAL. A MARKET order's notional
 * is checked at `referencePrice` (the best opposite price) when there is one.
 * https://developers.binance.com/docs/binance-spot-api-docs/filters
 */
export function checkFilters(rules: MarketRules, request: OrderRequest, referencePrice: Decimal | undefined): void {
  const { quantity } = request;
  if (!quantity.isFinite() || quantity.lte(0)) throw new EngineRejection('INVALID_PARAMETER', 'quantity must be positive');
  if (quantity.lt(rules.minQty) || quantity.gt(rules.maxQty) || !onStep(quantity, rules.minQty, rules.stepSize)) {
    throw new EngineRejection('LOT_SIZE', 'Filter failure: LOT_SIZE');
  }
  if (request.type === 'MARKET') {
    if (referencePrice && quantity.times(referencePrice).lt(rules.minNotional)) {
      throw new EngineRejection('MIN_NOTIONAL', 'Filter failure: NOTIONAL');
    }
    return;
  }
  const { price } = request;
  if (!price || !price.isFinite() || price.lte(0)) throw new EngineRejection('INVALID_PARAMETER', 'price must be positive');
  if (price.lt(rules.minPrice) || price.gt(rules.maxPrice) || !onStep(price, rules.minPrice, rules.tickSize)) {
    throw new EngineRejection('PRICE_FILTER', 'Filter failure: PRICE_FILTER');
  }
  if (quantity.times(price).lt(rules.minNotional)) throw new EngineRejection('MIN_NOTIONAL', 'Filter failure: NOTIONAL');
}

/** Binance: (value - min) % step == 0. */
function onStep(value: Decimal, min: Decimal, step: Decimal): boolean {
  return step.isZero() || value.minus(min).mod(step).isZero();
}

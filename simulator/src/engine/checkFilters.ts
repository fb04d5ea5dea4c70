import { EngineRejection } from './EngineRejection.ts';
import type { MarketUnits } from './MarketUnits.ts';
import type { OrderRequest } from './types.ts';

/**
 * Binance's symbol filters, exact: PRICE_FILTER, LOT_SIZE and NOTIONAL, checked on the market's
 * integer units (a value that is no whole number of them is off-step, hence refused). A MARKET
 * order's notional is checked at `referencePrice` (the best opposite price, in units) when there is one.
 * https://developers.binance.com/docs/binance-spot-api-docs/filters
 */
export function checkFilters(units: MarketUnits, request: OrderRequest, referencePrice: number | undefined): void {
  const { quantity } = request;
  if (!quantity.isFinite() || !quantity.isPositive() || quantity.isZero()) throw new EngineRejection('INVALID_PARAMETER', 'quantity must be positive');
  const lots = units.lots(quantity);
  if (lots === undefined || lots < units.minQty || lots > units.maxQty || !onStep(lots, units.minQty, units.step)) {
    throw new EngineRejection('LOT_SIZE', 'Filter failure: LOT_SIZE');
  }
  if (request.type === 'MARKET') {
    if (referencePrice !== undefined && units.belowMinNotional(lots, referencePrice)) {
      throw new EngineRejection('MIN_NOTIONAL', 'Filter failure: NOTIONAL');
    }
    return;
  }
  const { price } = request;
  if (!price || !price.isFinite() || !price.isPositive() || price.isZero()) throw new EngineRejection('INVALID_PARAMETER', 'price must be positive');
  const ticks = units.price(price);
  if (ticks === undefined || ticks < units.minPrice || ticks > units.maxPrice || !onStep(ticks, units.minPrice, units.tick)) {
    throw new EngineRejection('PRICE_FILTER', 'Filter failure: PRICE_FILTER');
  }
  if (units.belowMinNotional(lots, ticks)) throw new EngineRejection('MIN_NOTIONAL', 'Filter failure: NOTIONAL');
}

/** Binance: (value - min) % step == 0. */
function onStep(value: number, min: number, step: number): boolean {
  return (value - min) % step === 0;
}

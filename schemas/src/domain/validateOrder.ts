import { formatDecimal, isMultipleOf, roundToStep, type Decimal } from './decimal.ts';
import { notional, quantityUnit, venueQuantity, type Market } from './market.ts';
import { orderTypeOf, type StandardOrder } from './order.ts';

export type ViolationCode =
  | 'INSTRUMENT_MISMATCH'
  | 'MARKET_INACTIVE'
  | 'NOT_POSITIVE'
  | 'UNSUPPORTED_ORDER_TYPE'
  | 'UNSUPPORTED_TIME_IN_FORCE'
  | 'UNSUPPORTED_FLAG'
  | 'CONFLICTING_FIELDS'
  | 'MIN_QUANTITY'
  | 'MAX_QUANTITY'
  | 'STEP'
  | 'MIN_PRICE'
  | 'MAX_PRICE'
  | 'TICK'
  | 'MIN_NOTIONAL'
  | 'MAX_NOTIONAL';

/** One broken rule: a code for programs, a message for the trader who sent the order. */
export interface OrderViolation {
  code: ViolationCode;
  message: string;
}

/** What every check needs: the market, how to name it in a message, and where to put a violation. */
interface Check {
  market: Market;
  on: string;
  report: (code: ViolationCode, message: string) => void;
}

/**
 * Every rule of `market` that `order` breaks, not just the first, so that a trader fixes an order
 * once. Empty when the venue should accept it.
 *
 * A market order has no price, so its notional is checked at `referencePrice` (e.g. the mid) when
 * given: venues apply min notional to market orders at their own reference price (Binance
 * applyToMarket). A quote amount is converted at the limit price and rounded down to the step, as
 * the router would send it; a quote amount without any price is its own notional.
 */
export function validateOrder(order: StandardOrder, market: Market, referencePrice: Decimal | null = null): OrderViolation[] {
  const violations: OrderViolation[] = [];
  const check: Check = {
    market,
    on: `for ${market.instrument} on ${market.venue}`,
    report: (code, message) => violations.push({ code, message }),
  };
  if (order.instrument !== market.instrument) {
    check.report('INSTRUMENT_MISMATCH', `an order for ${order.instrument} was checked against the rules ${check.on}`);
  }
  if (!market.active) check.report('MARKET_INACTIVE', `${market.instrument} on ${market.venue} is not trading now`);
  checkCapabilities(order, check);
  checkPrice('price', order.limitPrice, check);
  checkPrice('trigger price', order.trigger?.triggerPrice ?? null, check);
  // Sized at the price it would trade at; without a positive one, only what needs no price is checked.
  const price = order.limitPrice ?? order.trigger?.triggerPrice ?? referencePrice;
  checkSize(order, price?.gt(0) ? price : null, check);
  return violations;
}

function checkCapabilities(order: StandardOrder, { market, on, report }: Check): void {
  const type = orderTypeOf(order);
  if (!market.orderTypes.includes(type)) {
    report('UNSUPPORTED_ORDER_TYPE', `${type.toLowerCase().replaceAll('_', '-')} orders are not supported ${on}`);
  }
  if (!market.timeInForce.includes(order.timeInForce)) {
    report('UNSUPPORTED_TIME_IN_FORCE', `time in force ${order.timeInForce} is not supported ${on}`);
  }
  if (order.postOnly && !market.postOnly) report('UNSUPPORTED_FLAG', `post-only is not supported ${on}`);
  if (order.reduceOnly && !market.reduceOnly) report('UNSUPPORTED_FLAG', `reduce-only is not supported ${on}`);
  if (order.icebergQuantity && !market.iceberg) report('UNSUPPORTED_FLAG', `iceberg orders are not supported ${on}`);

  const conflict = (message: string) => report('CONFLICTING_FIELDS', message);
  if (order.postOnly && order.limitPrice === null) conflict('a post-only order needs a limit price');
  if (order.postOnly && (order.timeInForce === 'IOC' || order.timeInForce === 'FOK')) {
    conflict(`post-only cannot be combined with ${order.timeInForce}: it would never rest in the book`);
  }
  if (order.icebergQuantity && order.limitPrice === null) conflict('an iceberg order needs a limit price');
  if (order.timeInForce === 'GTD' && order.expireAtMs === null) conflict('time in force GTD needs an expiry time');
  if (order.timeInForce !== 'GTD' && order.expireAtMs !== null) {
    conflict(`an expiry time needs time in force GTD, not ${order.timeInForce}`);
  }
}

function checkPrice(label: string, price: Decimal | null, { market, on, report }: Check): void {
  if (price === null) return;
  const shown = `${label} ${formatDecimal(price)}`;
  if (price.lte(0)) return report('NOT_POSITIVE', `${shown} must be positive`);
  if (market.minPrice && price.lt(market.minPrice)) {
    report('MIN_PRICE', `${shown} is below the minimum ${formatDecimal(market.minPrice)} ${on}`);
  }
  if (market.maxPrice && price.gt(market.maxPrice)) {
    report('MAX_PRICE', `${shown} is above the maximum ${formatDecimal(market.maxPrice)} ${on}`);
  }
  if (market.priceTick && !isMultipleOf(price, market.priceTick)) {
    report('TICK', `${shown} is not a multiple of the tick ${formatDecimal(market.priceTick)} ${on}`);
  }
}

function checkSize(order: StandardOrder, price: Decimal | null, check: Check): void {
  const { market, on, report } = check;
  if (order.amount.lte(0)) return report('NOT_POSITIVE', `amount ${formatDecimal(order.amount)} must be positive`);
  const converted = venueQuantity(market, order.amount, order.amountType, price);
  if (converted === null) {
    // Without a price only a quote amount can be checked, and it is the notional itself.
    if (order.amountType === 'QUOTE' && !market.inverse) checkNotional(order.amount, check);
    return;
  }
  const fromQuote = order.amountType === 'QUOTE';
  const step = market.quantityStep;
  const quantity = fromQuote && step ? roundToStep(converted, step, 'DOWN') : converted;
  const unit = quantityUnit(market);
  const inUnit = (value: Decimal) => `${formatDecimal(value)} ${unit}`;
  const source = fromQuote ? ` (${formatDecimal(order.amount)} ${market.quote}${price ? ` at ${formatDecimal(price)}` : ''})` : '';
  const shown = `quantity ${inUnit(quantity)}${source}`;

  if (market.minQuantity && quantity.lt(market.minQuantity)) {
    report('MIN_QUANTITY', `${shown} is below the minimum ${inUnit(market.minQuantity)} ${on}`);
  }
  if (market.maxQuantity && quantity.gt(market.maxQuantity)) {
    report('MAX_QUANTITY', `${shown} is above the maximum ${inUnit(market.maxQuantity)} ${on}`);
  }
  if (order.limitPrice === null && market.maxMarketQuantity && quantity.gt(market.maxMarketQuantity)) {
    report('MAX_QUANTITY', `${shown} is above the market-order maximum ${inUnit(market.maxMarketQuantity)} ${on}`);
  }
  if (step && !fromQuote && !isMultipleOf(quantity, step)) {
    report('STEP', `${shown} is not a multiple of the step ${inUnit(step)} ${on}`);
  }
  const iceberg = order.icebergQuantity && venueQuantity(market, order.icebergQuantity, 'BASE', price);
  if (iceberg && step && !isMultipleOf(iceberg, step)) {
    report('STEP', `iceberg quantity ${inUnit(iceberg)} is not a multiple of the step ${inUnit(step)} ${on}`);
  }
  if (iceberg && !fromQuote && iceberg.gte(quantity)) {
    report('CONFLICTING_FIELDS', `iceberg quantity ${inUnit(iceberg)} must be below the order ${shown}`);
  }
  if (price !== null) checkNotional(notional(market, quantity, price), check);
}

function checkNotional(value: Decimal, { market, on, report }: Check): void {
  const money = (amount: Decimal) => `${formatDecimal(amount)} ${market.quote}`;
  if (market.minNotional && value.lt(market.minNotional)) {
    report('MIN_NOTIONAL', `notional ${money(value)} is below the minimum ${money(market.minNotional)} ${on}`);
  }
  if (market.maxNotional && value.gt(market.maxNotional)) {
    report('MAX_NOTIONAL', `notional ${money(value)} is above the maximum ${money(market.maxNotional)} ${on}`);
  }
}

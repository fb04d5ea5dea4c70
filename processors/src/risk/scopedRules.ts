import { Decimal, formatDecimal, parseSymbol, type OrderCommand } from '@crossvenue/schemas';
import { unrealizedPnl } from '../positions/markToMarket.ts';
import type { PositionState } from '../positions/PositionState.ts';
import { ExposureBook, type OrderDelta } from './ExposureBook.ts';
import type { OpenOrder } from './OpenOrders.ts';
import type { LimitSet } from './RiskLimits.ts';

/** A failed rule: what a RiskDecision records (limit and value in the rule's unit). */
export interface Breach {
  rule: string;
  limit: Decimal | null;
  value: Decimal | null;
  message: string;
}

/** One scope a command is checked in: its account, then its whole portfolio. */
export interface Scope {
  name: 'account' | 'portfolio';
  label: string;
  limits: LimitSet;
  positions: PositionState[];
  orders: OpenOrder[];
}

export interface OrderUnderCheck {
  command: OrderCommand;
  /** The order's total quantity after the command (for an amend, the new quantity). */
  quantity: Decimal;
  limitPrice: Decimal | null;
  /** What the command adds to open exposure (negative for an amend that shrinks the order). */
  delta: OrderDelta;
}

export interface Pricing {
  currency: string;
  mark(instrument: string): Decimal | null;
  /** The value of one unit of the instrument in the limits' currency; null with no price or path. */
  unitValue(instrument: string): Decimal | null;
  convert(amount: Decimal, from: string): Decimal | null;
}

export type ScopedRule = (order: OrderUnderCheck, scope: Scope, valuation: Pricing) => Breach | null;

const breach = (scope: Scope, rule: string, limit: Decimal | null, value: Decimal | null, why: string): Breach => ({
  rule: `${scope.name}.${rule}`,
  limit,
  value,
  message: `${scope.label}: ${why}`,
});
const shown = (value: Decimal) => formatDecimal(value);

export const orderSize: ScopedRule = (order, scope) => {
  const { minOrderQuantity: min, maxOrderQuantity: max } = scope.limits;
  if (min && order.quantity.lt(min)) return breach(scope, 'min_order_quantity', min, order.quantity, `order quantity ${shown(order.quantity)} is below the minimum ${shown(min)}`);
  if (max && order.quantity.gt(max)) return breach(scope, 'max_order_quantity', max, order.quantity, `order quantity ${shown(order.quantity)} is above the maximum ${shown(max)}`);
  return null;
};

/** Fat finger: a limit price too far from the mid. A market order has no price to check. */
export const priceBand: ScopedRule = (order, scope, valuation) => {
  const band = scope.limits.priceBand;
  if (!band || order.limitPrice === null) return null;
  const mid = valuation.mark(order.command.instrument);
  if (mid === null) return breach(scope, 'price_band', band, null, `no mid for ${order.command.instrument}: the price band cannot be checked`);
  const deviation = order.limitPrice.minus(mid).abs().dividedBy(mid);
  if (deviation.gt(band)) {
    return breach(scope, 'price_band', band, deviation, `limit ${shown(order.limitPrice)} is ${shown(deviation.toSignificantDigits(6))} away from the mid ${shown(mid)}, band ${shown(band)}`);
  }
  return null;
};

export const orderNotional: ScopedRule = (order, scope, valuation) => {
  const max = scope.limits.maxOrderNotional;
  if (!max) return null;
  const price = order.limitPrice ?? valuation.mark(order.command.instrument);
  const { quote } = parseSymbol(order.command.instrument);
  const notional = price && valuation.convert(order.quantity.times(price), quote);
  if (!notional) return breach(scope, 'order_notional', max, null, `cannot value the order in ${valuation.currency}: no price or conversion path for ${order.command.instrument}`);
  if (notional.gt(max)) return breach(scope, 'order_notional', max, notional, `order notional ${shown(notional)} ${valuation.currency} is above ${shown(max)}`);
  return null;
};

/** Position limits trip only for an order that makes the worst case larger: reducing is always allowed. */
export const instrumentPosition: ScopedRule = (order, scope) => {
  const max = scope.limits.maxPositionPerInstrument;
  if (!max) return null;
  const { after, before } = books(order, scope);
  const value = after.instrument(order.command.instrument);
  if (value.gt(max) && value.gt(before.instrument(order.command.instrument))) {
    return breach(scope, 'max_position_instrument', max, value, `${order.command.instrument} could reach ${shown(value)} with open orders, above ${shown(max)}`);
  }
  return null;
};

export const underlyingPosition: ScopedRule = (order, scope) => {
  const max = scope.limits.maxPositionPerUnderlying;
  if (!max) return null;
  const { base } = parseSymbol(order.command.instrument);
  const { after, before } = books(order, scope);
  const value = after.underlying(base);
  if (value.gt(max) && value.gt(before.underlying(base))) {
    return breach(scope, 'max_position_underlying', max, value, `${base} across venues could reach ${shown(value)} with open orders, above ${shown(max)}`);
  }
  return null;
};

export const grossExposure: ScopedRule = (order, scope, valuation) => exposure(order, scope, valuation, 'gross');
export const netExposure: ScopedRule = (order, scope, valuation) => exposure(order, scope, valuation, 'net');

function exposure(order: OrderUnderCheck, scope: Scope, valuation: Pricing, kind: 'gross' | 'net'): Breach | null {
  const max = kind === 'gross' ? scope.limits.maxGrossExposure : scope.limits.maxNetExposure;
  if (!max) return null;
  const { after, before } = books(order, scope);
  const price = (instrument: string) => valuation.unitValue(instrument);
  const value = after[kind](price);
  if (value === null) return breach(scope, `max_${kind}_exposure`, max, null, `cannot value every instrument in ${valuation.currency}`);
  if (value.gt(max) && value.gt(before[kind](price) ?? new Decimal(0))) {
    return breach(scope, `max_${kind}_exposure`, max, value, `${kind} exposure could reach ${shown(value)} ${valuation.currency}, above ${shown(max)}`);
  }
  return null;
}

/** Below the drawdown limit, only orders that make no instrument's worst case larger pass. */
export const drawdown: ScopedRule = (order, scope, valuation) => {
  const max = scope.limits.maxDrawdown;
  if (!max) return null;
  const pnl = scopePnl(scope.positions, valuation);
  const floor = max.negated();
  if (pnl === null) return breach(scope, 'drawdown', floor, null, `cannot value the PnL in ${valuation.currency}`);
  const { after, before } = books(order, scope);
  const increasing = after.instrument(order.command.instrument).gt(before.instrument(order.command.instrument));
  if (pnl.lt(floor) && increasing) {
    return breach(scope, 'drawdown', floor, pnl, `PnL ${shown(pnl)} ${valuation.currency} is below the drawdown stop ${shown(floor)}: only risk-reducing orders pass`);
  }
  return null;
};

/** Realized + unrealized - fees, in the valuation currency; null when an amount cannot be converted. */
export function scopePnl(positions: PositionState[], valuation: Pricing): Decimal | null {
  let total = new Decimal(0);
  for (const position of positions) {
    const { quote } = parseSymbol(position.instrument);
    const mark = valuation.mark(position.instrument);
    const amounts: Array<[Decimal, string]> = [[position.realizedPnl, quote], ...[...position.fees].map(([c, fee]): [Decimal, string] => [fee.negated(), c])];
    if (mark) amounts.push([unrealizedPnl(position, mark), quote]);
    for (const [amount, currency] of amounts) {
      if (amount.isZero()) continue;
      const converted = valuation.convert(amount, currency);
      if (converted === null) return null;
      total = total.plus(converted);
    }
  }
  return total;
}

function books(order: OrderUnderCheck, scope: Scope) {
  return { after: new ExposureBook(scope.positions, scope.orders, order.delta), before: new ExposureBook(scope.positions, scope.orders) };
}

export const SCOPED_RULES: ScopedRule[] = [orderSize, priceBand, orderNotional, instrumentPosition, underlyingPosition, grossExposure, netExposure, drawdown];

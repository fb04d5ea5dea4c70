import {
  Decimal,
  formatDecimal,
  parseDecimal,
  parseSymbol,
  type Fill,
  type RouteDecision,
} from '@crossvenue/schemas';
import { ownersLatest, type IntentHistory } from './ExecutionLog.ts';

const ZERO = new Decimal(0);
const BPS = new Decimal(10_000);

/**
 * The execution path of one intent: what was asked (its messages), how the router split it (every
 * decision with its candidates and expected cost), the child orders with their states, the fills,
 * and realized against expected.
 *
 * Expected figures are the arrival plan's: the first route decision (re-routes after IOC legs
 * expire plan only the remainder, so summing decisions would count it twice). Realized figures
 * are over every fill. Slippage is realized against expected average price in basis points,
 * positive when worse: a buy paid more, a sell received less. Realized cost is signed like the
 * router's (what a buy pays, minus what a sell receives) plus the fees charged in the cost
 * currency; fees in other currencies are listed apart, not converted. Slippage cost is the
 * difference in average price times the filled quantity, in the cost currency.
 */
export function intentPath(history: IntentHistory) {
  const intent = ownersLatest(history) ?? null;
  const fills = [...history.fills.values()].sort((a, b) => a.receivedAtMs - b.receivedAtMs);
  return {
    intentId: history.intentId,
    intent,
    messages: history.messages,
    routeDecisions: history.decisions,
    orders: [...history.orders.values()],
    fills,
    /** The latest status the execution side published, null before the first. */
    status: history.status,
    summary: summarize(history.decisions, fills, intent?.instrument ?? history.decisions[0]?.instrument ?? fills[0]?.instrument),
  };
}

function summarize(decisions: readonly RouteDecision[], fills: readonly Fill[], instrument: string | undefined) {
  const quote = instrument ? parseSymbol(instrument).quote : null;
  const arrival = decisions[0];
  const legs = (arrival?.legs ?? []).map((leg) => ({ quantity: parseDecimal(leg.quantity, 'leg quantity'), price: parseDecimal(leg.expectedAveragePrice, 'leg price') }));
  const routed = sum(legs.map((leg) => leg.quantity));
  const expectedPrice = routed.isZero() ? null : sum(legs.map((leg) => leg.quantity.times(leg.price))).dividedBy(routed);
  const filled = sum(fills.map((fill) => parseDecimal(fill.quantity, 'fill quantity')));
  const notional = sum(fills.map((fill) => parseDecimal(fill.price, 'fill price').times(fill.quantity)));
  const realizedPrice = filled.isZero() ? null : notional.dividedBy(filled);
  const side = arrival?.side ?? fills[0]?.side;
  const sign = side === 'SELL' ? -1 : 1;
  const fees = new Map<string, Decimal>();
  for (const fill of fills) fees.set(fill.feeCurrency, (fees.get(fill.feeCurrency) ?? ZERO).plus(fill.fee));
  const slippage = expectedPrice && realizedPrice ? realizedPrice.minus(expectedPrice).dividedBy(expectedPrice).times(BPS).times(sign) : null;
  return {
    costCurrency: quote,
    routedQuantity: formatDecimal(routed),
    filledQuantity: formatDecimal(filled),
    expectedAveragePrice: expectedPrice && formatDecimal(expectedPrice.toDecimalPlaces(12)),
    realizedAveragePrice: realizedPrice && formatDecimal(realizedPrice.toDecimalPlaces(12)),
    slippageBps: slippage && formatDecimal(slippage.toDecimalPlaces(4)),
    slippageCost: expectedPrice && realizedPrice && formatDecimal(realizedPrice.minus(expectedPrice).times(filled).times(sign).toDecimalPlaces(8)),
    expectedCost: arrival ? arrival.totalExpectedCost : null,
    decisionCount: decisions.length,
    realizedCost: fills.length === 0 ? null : formatDecimal(notional.times(sign).plus(quote ? (fees.get(quote) ?? ZERO) : ZERO)),
    fees: [...fees].map(([currency, amount]) => ({ currency, amount: formatDecimal(amount) })),
  };
}

function sum(values: readonly Decimal[]): Decimal {
  return values.reduce((total, value) => total.plus(value), ZERO);
}

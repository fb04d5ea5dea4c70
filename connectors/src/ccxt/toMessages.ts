import { randomUUID } from 'node:crypto';
import {
  Decimal,
  formatDecimal,
  isTerminalOrderState,
  parseDecimal,
  type Balance,
  type BalanceSnapshot,
  type Fill,
  type FillSource,
  type FundingPayment,
  type OrderEvent,
  type OrderEventSource,
  type OrderEventType,
  type OrderState,
  type VenueOrder,
  type VenueTrade,
} from '@crossvenue/schemas';
import type { Balances, FundingHistory, Order, Trade } from 'ccxt';
import { fromCcxtNumber, fromOptionalCcxtNumber } from './ccxtValues.ts';
import type { ConnectorContext } from './ConnectorContext.ts';
import { toBase, toBaseString, type ContractTerms } from './contractUnits.ts';
import type { OrderEvidence } from './orderEvidence.ts';
import type { TrackedOrder } from './TrackedOrders.ts';
import { ourClientOrderId, type VenueCapabilities } from './VenueCapabilities.ts';

export interface EventFacts {
  event: OrderEventType;
  source: OrderEventSource;
  evidence?: OrderEvidence;
  reason?: string | null;
}

/**
 * The cumulative filled quantity an event reports: the venue's when it says, never below what we
 * already reported (an amend's answer may carry the amended order's fills only).
 */
export function reportedFill(order: TrackedOrder, evidence: OrderEvidence | undefined): string {
  return atLeast(evidence?.filledQuantity ?? order.filledQuantity, order.filledQuantity);
}

/** One OrderEvent of a tracked order moving to `state`; quantities come from the venue evidence when there is some. */
export function orderEvent(context: ConnectorContext, order: TrackedOrder, facts: EventFacts, state: OrderState): OrderEvent {
  const { command } = order;
  const evidence = facts.evidence;
  const filled = reportedFill(order, evidence);
  return {
    eventId: randomUUID(),
    clientOrderId: command.clientOrderId,
    venueOrderId: evidence?.venueOrderId ?? order.venueOrderId,
    intentId: command.intentId,
    portfolio: command.portfolio,
    venue: command.venue,
    account: command.account,
    instrument: command.instrument,
    side: command.side,
    previousState: order.state,
    state,
    event: facts.event,
    rawVenueStatus: evidence?.rawVenueStatus ?? null,
    filledQuantity: filled,
    remainingQuantity: remainingOf(command.quantity, filled, state),
    limitPrice: evidence?.limitPrice ?? command.newLimitPrice ?? command.limitPrice,
    averagePrice: evidence?.averagePrice ?? null,
    reason: facts.reason ?? null,
    venueTimeMs: evidence?.venueTimeMs ?? null,
    receivedAtMs: context.now(),
    source: facts.source,
  };
}

function atLeast(quantity: string, floor: string): string {
  return new Decimal(quantity).lt(floor) ? floor : quantity;
}

/**
 * What is still open, from the order's quantity and the filled quantity we report (never ccxt's
 * `remaining`, which an ids-only acknowledgement leaves at the whole amount): a finished order has
 * nothing open, and a working one never less than nothing.
 */
function remainingOf(quantity: string, filled: string, state: OrderState): string {
  if (isTerminalOrderState(state)) return '0';
  return Decimal.max(new Decimal(quantity).minus(filled), 0).toFixed();
}

/**
 * A Fill of one of our trades. It goes to the portfolio of its order, as the order's events do;
 * a trade of an order we do not track (placed outside Crossvenue) to the account's portfolio.
 */
export function fill(context: ConnectorContext, trade: Trade, order: TrackedOrder | undefined, source: FillSource): Fill {
  const venueTrade = venueTradeOf(context, trade);
  return {
    eventId: randomUUID(),
    venue: context.venue,
    account: context.account,
    portfolio: order?.command.portfolio ?? context.portfolio,
    venueTradeId: venueTrade.venueTradeId,
    clientOrderId: order?.command.clientOrderId ?? venueTrade.clientOrderId ?? '',
    venueOrderId: venueTrade.venueOrderId,
    intentId: order?.command.intentId ?? null,
    instrument: venueTrade.instrument,
    side: venueTrade.side,
    price: venueTrade.price,
    quantity: venueTrade.quantity,
    fee: venueTrade.fee,
    feeCurrency: venueTrade.feeCurrency,
    liquidity: venueTrade.liquidity,
    venueTimeMs: venueTrade.venueTimeMs,
    receivedAtMs: context.now(),
    source,
  };
}

/** https://docs.ccxt.com/#/README?id=trade-structure; the quantity in the base asset (ccxt's `amount` counts contracts: contractUnits.ts). */
export function venueTradeOf(context: ConnectorContext, trade: Trade): VenueTrade {
  if (!trade.id || !trade.order || !trade.symbol || trade.timestamp === undefined) {
    throw new Error(`ccxt trade on ${trade.symbol ?? '?'}: missing trade id, order id, symbol or timestamp`);
  }
  const info = (trade.info ?? {}) as Record<string, unknown>;
  const clientId = context.capabilities.tradeClientOrderIdKeys.map((key) => info[key]).find((v) => typeof v === 'string' && v !== '');
  return {
    venueTradeId: String(trade.id),
    clientOrderId: ourClientOrderId(context.capabilities, clientId),
    venueOrderId: String(trade.order),
    instrument: trade.symbol,
    side: trade.side === 'sell' ? 'SELL' : 'BUY',
    price: fromCcxtNumber(trade.price, 'trade price'),
    quantity: toBase(context.exchange.market(trade.symbol), fromCcxtNumber(trade.amount, 'trade amount')).toFixed(),
    fee: feeOf(context.capabilities, trade),
    feeCurrency: trade.fee?.currency ?? '',
    liquidity: trade.takerOrMaker === 'maker' ? 'MAKER' : 'TAKER',
    venueTimeMs: trade.timestamp,
  };
}

/** A trade's fee as our fills carry it (a charge positive, a rebate negative): from the venue's own field where its row says ccxt's sign cannot be trusted. */
export function feeOf(capabilities: VenueCapabilities, trade: Partial<Pick<Trade, 'fee' | 'info'>>): string {
  const { rawFee } = capabilities;
  const info = (trade.info ?? {}) as Record<string, unknown>;
  const raw = rawFee?.keys.map((key) => info[key]).find((value) => typeof value === 'string' && value !== '');
  if (rawFee && typeof raw === 'string') {
    const fee = parseDecimal(raw, `${capabilities.ccxtId} trade ${rawFee.keys.join('/')}`);
    return formatDecimal(rawFee.charged === 'negative' ? fee.negated() : fee);
  }
  return fromOptionalCcxtNumber(trade.fee?.cost) ?? '0';
}

/** A funding payment the venue settled on the account (https://docs.ccxt.com/#/README?id=funding-history-structure), its venue id its identity. */
export function fundingPaymentOf(context: ConnectorContext, payment: FundingHistory): FundingPayment {
  if (!payment.id || !payment.symbol || !payment.code || payment.timestamp === undefined) {
    throw new Error(`ccxt funding payment on ${payment.symbol ?? '?'}: missing id, symbol, currency or timestamp`);
  }
  return {
    eventId: `funding:${context.venue}:${context.account}:${payment.id}`,
    venue: context.venue,
    account: context.account,
    portfolio: context.portfolio,
    instrument: payment.symbol,
    fundingId: String(payment.id),
    amount: fromCcxtNumber(payment.amount, 'funding amount'),
    currency: payment.code,
    venueTimeMs: payment.timestamp,
    receivedAtMs: context.now(),
  };
}

/** An open order as the venue lists it; quantities in the base asset when `market` (its ccxt market) is given (contractUnits.ts). */
export function venueOrderOf(capabilities: VenueCapabilities, order: Order, rawVenueStatus: string, market?: ContractTerms): VenueOrder {
  const inBase = (contracts: string | null) => (market ? toBaseString(market, contracts) : contracts);
  return {
    clientOrderId: ourClientOrderId(capabilities, order.clientOrderId),
    venueOrderId: String(order.id),
    instrument: order.symbol ?? '',
    side: order.side === 'sell' ? 'SELL' : 'BUY',
    quantity: inBase(fromCcxtNumber(order.amount, 'order amount')) ?? '0',
    filledQuantity: inBase(fromOptionalCcxtNumber(order.filled)) ?? '0',
    limitPrice: fromOptionalCcxtNumber(order.price),
    rawVenueStatus,
  };
}

export function balancesOf(balances: Balances): Balance[] {
  const totals = (balances.total ?? {}) as unknown as Record<string, number | undefined>;
  return Object.keys(totals).sort().map((asset) => {
    const row = balances[asset] as { free?: number; used?: number; total?: number } | undefined;
    return {
      asset,
      free: fromOptionalCcxtNumber(row?.free) ?? '0',
      locked: fromOptionalCcxtNumber(row?.used) ?? '0',
      total: fromOptionalCcxtNumber(row?.total) ?? '0',
    };
  });
}

/** Every balance of the account from one REST fetch (`complete`: assets missing from it are zero). */
export function balanceSnapshotOf(context: ConnectorContext, balances: Balance[], receivedAtMs: number): BalanceSnapshot {
  return {
    eventId: randomUUID(),
    venue: context.venue,
    account: context.account,
    portfolio: context.portfolio,
    complete: true,
    balances,
    venueTimeMs: null,
    receivedAtMs,
  };
}

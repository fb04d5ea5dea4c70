import { randomUUID } from 'node:crypto';
import type { Balance, Fill, FillSource, OrderEvent, OrderEventSource, OrderEventType, OrderState, VenueOrder, VenueTrade } from '@crossvenue/schemas';
import type { Balances, Order, Trade } from 'ccxt';
import { fromCcxtNumber, fromOptionalCcxtNumber } from './ccxtValues.ts';
import type { ConnectorContext } from './ConnectorContext.ts';
import type { OrderEvidence } from './orderEvidence.ts';
import type { TrackedOrder } from './TrackedOrders.ts';

export interface EventFacts {
  event: OrderEventType;
  state: OrderState;
  source: OrderEventSource;
  evidence?: OrderEvidence;
  reason?: string | null;
}

/** One OrderEvent of a tracked order; quantities come from the venue evidence when there is some. */
export function orderEvent(context: ConnectorContext, order: TrackedOrder, facts: EventFacts): OrderEvent {
  const { command } = order;
  const evidence = facts.evidence;
  const filled = evidence?.filledQuantity ?? order.filledQuantity;
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
    state: facts.state,
    event: facts.event,
    rawVenueStatus: evidence?.rawVenueStatus ?? null,
    filledQuantity: filled,
    remainingQuantity: evidence?.remainingQuantity ?? (isDone(facts.state) ? '0' : command.quantity),
    limitPrice: evidence?.limitPrice ?? command.newLimitPrice ?? command.limitPrice,
    averagePrice: evidence?.averagePrice ?? null,
    reason: facts.reason ?? null,
    venueTimeMs: evidence?.venueTimeMs ?? null,
    receivedAtMs: context.now(),
    source: facts.source,
  };
}

function isDone(state: OrderState): boolean {
  return state === 'FILLED' || state === 'CANCELED' || state === 'REJECTED' || state === 'EXPIRED';
}

export function fill(context: ConnectorContext, trade: Trade, order: TrackedOrder | undefined, source: FillSource): Fill {
  const venueTrade = venueTradeOf(context, trade);
  return {
    eventId: randomUUID(),
    venue: context.venue,
    account: context.account,
    portfolio: context.portfolio,
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

/** https://docs.ccxt.com/#/README?id=trade-structure */
export function venueTradeOf(context: ConnectorContext, trade: Trade): VenueTrade {
  if (!trade.id || !trade.order || !trade.symbol || trade.timestamp === undefined) {
    throw new Error(`ccxt trade on ${trade.symbol ?? '?'}: missing trade id, order id, symbol or timestamp`);
  }
  const info = (trade.info ?? {}) as Record<string, unknown>;
  const clientId = context.capabilities.tradeClientOrderIdKeys.map((key) => info[key]).find((v) => typeof v === 'string' && v !== '');
  return {
    venueTradeId: String(trade.id),
    clientOrderId: typeof clientId === 'string' ? clientId : null,
    venueOrderId: String(trade.order),
    instrument: trade.symbol,
    side: trade.side === 'sell' ? 'SELL' : 'BUY',
    price: fromCcxtNumber(trade.price, 'trade price'),
    quantity: fromCcxtNumber(trade.amount, 'trade amount'),
    fee: fromOptionalCcxtNumber(trade.fee?.cost) ?? '0',
    feeCurrency: trade.fee?.currency ?? '',
    liquidity: trade.takerOrMaker === 'maker' ? 'MAKER' : 'TAKER',
    venueTimeMs: trade.timestamp,
  };
}

export function venueOrderOf(order: Order, rawVenueStatus: string): VenueOrder {
  return {
    clientOrderId: order.clientOrderId ?? null,
    venueOrderId: String(order.id),
    instrument: order.symbol ?? '',
    side: order.side === 'sell' ? 'SELL' : 'BUY',
    quantity: fromCcxtNumber(order.amount, 'order amount'),
    filledQuantity: fromOptionalCcxtNumber(order.filled) ?? '0',
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

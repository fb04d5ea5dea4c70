import type { ControlCommand, Fill, OrderCommand, OrderEvent } from '@crossvenue/schemas';
import { limitPlaceCommand } from '@crossvenue/schemas/testing';

/** Message builders for the risk tests: realistic defaults, overridden field by field. Tests only. */
let sequence = 0;

export function place(overrides: Partial<OrderCommand> = {}): OrderCommand {
  sequence += 1;
  return limitPlaceCommand({ eventId: `e${sequence}`, commandId: `cmd${sequence}`, intentId: `intent${sequence}`, clientOrderId: `co${sequence}`, createdAtMs: 0, ...overrides });
}

export function fill(overrides: Partial<Fill> = {}): Fill {
  sequence += 1;
  return {
    eventId: `f${sequence}`,
    venue: 'binance',
    account: 'main',
    portfolio: 'desk',
    venueTradeId: `t${sequence}`,
    clientOrderId: `co${sequence}`,
    venueOrderId: `v${sequence}`,
    intentId: null,
    instrument: 'BTC/USDT',
    side: 'BUY',
    price: '100',
    quantity: '1',
    fee: '0',
    feeCurrency: 'USDT',
    liquidity: 'TAKER',
    venueTimeMs: sequence,
    receivedAtMs: sequence,
    source: 'VENUE',
    ...overrides,
  };
}

export function killSwitch(overrides: Partial<ControlCommand> = {}): ControlCommand {
  sequence += 1;
  return {
    eventId: `k${sequence}`,
    type: 'KILL_SWITCH',
    scope: 'GLOBAL',
    portfolio: null,
    venue: null,
    account: null,
    engaged: true,
    cancelOpenOrders: false,
    configKey: null,
    configValue: null,
    issuedBy: 'ops',
    reason: 'test',
    issuedAtMs: 0,
    ...overrides,
  };
}

export function orderEvent(order: OrderCommand, overrides: Partial<OrderEvent>): OrderEvent {
  sequence += 1;
  return {
    eventId: `oe${sequence}`,
    clientOrderId: order.clientOrderId,
    venueOrderId: 'v1',
    intentId: order.intentId,
    portfolio: order.portfolio,
    venue: order.venue,
    account: order.account,
    instrument: order.instrument,
    side: order.side,
    previousState: 'NEW',
    state: 'NEW',
    event: 'ACCEPTED',
    rawVenueStatus: 'NEW',
    filledQuantity: '0',
    remainingQuantity: order.quantity,
    limitPrice: order.limitPrice,
    averagePrice: null,
    reason: null,
    venueTimeMs: null,
    receivedAtMs: 0,
    source: 'VENUE',
    ...overrides,
  };
}

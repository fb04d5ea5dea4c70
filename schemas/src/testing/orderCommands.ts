import { randomUUID } from 'node:crypto';
import { clientOrderId, type IntentId } from '../domain/ids.ts';
import type { OrderCommand } from '../messages/OrderCommand.ts';

/**
 * A PLACE command for tests: a plain GTC limit buy with fresh ids and the client order id derived
 * as the execution path derives it; every field can be overridden.
 */
export function limitPlaceCommand(overrides: Partial<OrderCommand> = {}): OrderCommand {
  const intentId = overrides.intentId ?? `test-intent-${randomUUID()}`;
  return {
    eventId: randomUUID(),
    commandId: randomUUID(),
    type: 'PLACE',
    intentId,
    leg: 0,
    attempt: 0,
    clientOrderId: clientOrderId(intentId as IntentId, overrides.leg ?? 0, overrides.attempt ?? 0),
    portfolio: 'desk',
    venue: 'binance',
    account: 'main',
    instrument: 'BTC/USDT',
    side: 'BUY',
    quantity: '1',
    limitPrice: '100',
    orderType: 'LIMIT',
    timeInForce: 'GTC',
    expireAtMs: null,
    triggerPrice: null,
    postOnly: false,
    reduceOnly: false,
    icebergQuantity: null,
    newQuantity: null,
    newLimitPrice: null,
    venueOrderId: null,
    createdAtMs: Date.now(),
    routeDecisionId: null,
    ...overrides,
  };
}

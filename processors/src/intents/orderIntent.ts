import type { Intent, IntentOrder, Side } from '@crossvenue/schemas';

/** What a producer of order intents says; the rest of an intent's envelope is the same for all of them. */
export type OrderIntentEnvelope = Pick<Intent, 'eventId' | 'intentId' | 'portfolio' | 'account' | 'instrument' | 'source' | 'requestedBy' | 'createdAtMs'>;

/**
 * The envelope of an ORDER intent a program produces (a strategy, the synchronizer): not a group,
 * no re-route policy of its own, no venue avoided, not a flatten. The caller adds the action,
 * the order and the venues.
 */
export function orderIntentEnvelope(fields: OrderIntentEnvelope) {
  return { ...fields, kind: 'ORDER' as const, targetQuantity: null, algo: null, group: null, reroutes: null, avoidVenues: [], flattens: false };
}

/**
 * A market order of `amount` in the base asset, IOC: what the execution side trades on its own
 * (a flatten, a target position's child). The router caps each leg at the worst level it reaches.
 */
export function marketOrder(side: Side, amount: string, reduceOnly: boolean): IntentOrder {
  return { side, amount, amountType: 'BASE', limitPrice: null, timeInForce: 'IOC', expireAtMs: null, postOnly: false, reduceOnly, trigger: null, icebergQuantity: null };
}

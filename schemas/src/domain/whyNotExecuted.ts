import type { Intent } from '../messages/Intent.ts';

/** Why an intent cannot be executed: the intent field at fault (`order.amountType`) and one line saying why. */
export interface NotExecuted {
  field: string;
  reason: string;
}

/**
 * What the Intent schema can state but the execution path does not do yet, or null when the intent
 * is executable as far as its kind and order terms go. This is the one copy of the rule: the
 * execution side (DesiredState.applyIntent) refuses such intents and the gateway answers them 422
 * up front, so that nothing is accepted and then dropped. It lives here because both import it.
 *
 * What is executed today: TARGET_POSITION intents (the execution side trades toward the target
 * with child orders and holds it), ORDER and ORDER_GROUP intents with a BASE or QUOTE amount (a QUOTE amount
 * is converted to base by the router at the book of its first decision), market or limit, GTC,
 * IOC, FOK (BASE only), DAY or GTD (the execution side ends them), GTC icebergs (sliced by the
 * execution side), stop and take-profit triggers
 * (the execution side holds them and fires them from the books), post-only (the router rests it at one venue) and reduce-only (the risk
 * engine holds it to the position), and TWAP over them (GTC, BASE, no post-only or trigger). Each
 * refusal below goes when its feature is built (issue #18).
 */
export function whyNotExecuted(intent: Pick<Intent, 'kind' | 'order'> & Partial<Pick<Intent, 'algo'>>): NotExecuted | null {
  const { order } = intent;
  const algo = intent.algo ?? null;
  if (algo !== null && intent.kind !== 'ORDER') return { field: 'algo', reason: `an execution algorithm runs an ORDER intent, not ${intent.kind}` };
  // No order, no terms to refuse (a CANCEL); a PLACE missing its order is malformed, which applyIntent refuses.
  if (order === null) return null;
  if (algo !== null) {
    const why = twapRefusal(order);
    if (why !== null) return why;
  }
  if (order.amountType === 'QUOTE' && order.timeInForce === 'FOK') {
    return { field: 'order.timeInForce', reason: 'FOK needs a BASE amount: a QUOTE amount converted and rounded to lots cannot be filled exactly' };
  }
  if (order.icebergQuantity !== null) return icebergRefusal(order);
  return null;
}

/** What an iceberg does not take: it rests in slices (GTC limit orders) of the base asset. */
function icebergRefusal(order: NonNullable<Intent['order']>): NotExecuted | null {
  if (order.amountType === 'QUOTE') return { field: 'order.amountType', reason: 'an iceberg needs a BASE amount: its slices are sized in the base asset' };
  if (order.timeInForce !== 'GTC') return { field: 'order.timeInForce', reason: `an iceberg rests in slices until filled or cancelled: its time in force is GTC, not ${order.timeInForce}` };
  if (order.trigger !== null) return { field: 'order.trigger', reason: 'an iceberg with a trigger is not executed yet' };
  return null;
}

/** What a TWAP does not take: its slices are IOC orders in the base asset, sent as the schedule says. */
function twapRefusal(order: NonNullable<Intent['order']>): NotExecuted | null {
  if (order.amountType === 'QUOTE') return { field: 'order.amountType', reason: 'a TWAP needs a BASE amount: its slices are sized in the base asset' };
  if (order.timeInForce !== 'GTC') return { field: 'order.timeInForce', reason: `a TWAP runs for its durationMs (its slices are IOC): its time in force is GTC, not ${order.timeInForce}` };
  if (order.postOnly) return { field: 'order.postOnly', reason: "a TWAP's slices take liquidity (IOC): post-only is not executed with it" };
  if (order.trigger !== null) return { field: 'order.trigger', reason: 'a TWAP with a trigger is not executed yet' };
  if (order.icebergQuantity !== null) return { field: 'order.icebergQuantity', reason: "a TWAP's slices are IOC: an iceberg quantity is not executed with it" };
  return null;
}

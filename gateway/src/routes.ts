import { randomUUID } from 'node:crypto';
import { TOPICS, formatDecimal, parseDecimal, type Intent } from '@crossvenue/schemas';
import type { ApiPrincipal } from './auth/ApiKeys.ts';
import { HttpError, invalid, notExecuted } from './http/HttpError.ts';
import { IdempotencyKeys, type IdempotentResult } from './IdempotencyKeys.ts';
import { intentIdField, oneOf, positiveDecimal, present, refuseNotExecuted } from './requests/fields.ts';
import { parseOrderRequest } from './requests/orderRequest.ts';
import { parseTargetRequest, targetQuantityField } from './requests/targetRequest.ts';
import { backtestRoutes } from './routes/backtestRoutes.ts';
import { chartRoutes } from './routes/chartRoutes.ts';
import { reportRoutes } from './routes/reportRoutes.ts';
import { controlRoutes } from './routes/controlRoutes.ts';
import { previewRoute } from './routes/previewRoute.ts';
import { readRoutes } from './routes/readRoutes.ts';
import { syncRoutes } from './routes/syncRoutes.ts';
import { ok, type GatewayDependencies, type Route, type RouteContext } from './routes/Route.ts';

export type { AuditReports, GatewayDependencies, ReportInfo, Route, RouteContext } from './routes/Route.ts';

/** Every API route: the server serves these and the OpenAPI document describes exactly these. */
export function apiRoutes(dependencies: GatewayDependencies): Route[] {
  const { state, messages, idempotency, now } = dependencies;
  async function publishIntent(intent: Intent): Promise<IdempotentResult> {
    await messages.publish(TOPICS.intents, [intent]);
    state.record(TOPICS.intents.name, intent);
    return ok({ intentId: intent.intentId, action: intent.action, status: 'accepted', duplicate: false }, 202);
  }

  function intentEnvelope(principal: ApiPrincipal, intentId: string, fields: Pick<Intent, 'portfolio' | 'instrument' | 'account' | 'venues'>): Omit<Intent, 'action' | 'kind' | 'order' | 'targetQuantity' | 'algo'> {
    // A fresh message id after the fields: a cancel or amend passes the intent it changes, whose id
    // it must not reuse (the route decision's id is derived from it, and a repeat is ignored).
    return { intentId, ...fields, eventId: randomUUID(), group: null, reroutes: null, avoidVenues: [], flattens: false, source: 'API', requestedBy: principal.name, createdAtMs: now() };
  }

  /** A new intent, once per Idempotency-Key. */
  async function placeOnce(context: RouteContext, build: (intentId: string) => Intent): Promise<IdempotentResult> {
    const body = await context.body();
    const { principal, idempotencyKey } = context;
    if (!idempotencyKey) return publishIntent(build(`api-${randomUUID()}`));
    const intentId = IdempotencyKeys.intentId(principal.name, idempotencyKey);
    return idempotency.once(principal.name, idempotencyKey, body, async () => {
      // Known from before a restart: the intent exists, so this is a repeat, not a new order.
      if (state.execution.intent(intentId) !== undefined) return ok({ intentId, status: 'accepted', duplicate: true });
      // The message id follows from the key too: a repeat after an answer that never came (a 503,
      // a gateway that died) whose first try was written after all is the same message, which the
      // router and execution drop as a repeat, not a second PLACE of the intent.
      return publishIntent({ ...build(intentId), eventId: `${intentId}:place` });
    });
  }

  function knownIntent(intentId: string): Intent {
    const intent = state.execution.intent(intentId);
    if (!intent) throw new HttpError(404, 'unknown_intent', `no intent ${intentId}`, 'intentId');
    if (intent.action === 'CANCEL') throw new HttpError(409, 'intent_canceled', `intent ${intentId} is already canceled`, 'intentId');
    // A DAY or GTD intent ended by the execution side: a MODIFY or CANCEL would change nothing.
    const ended = state.execution.history(intentId)?.status?.state;
    if (ended === 'EXPIRED') throw new HttpError(409, 'intent_expired', `intent ${intentId} has expired`, 'intentId');
    // Filled whole: its status was final, and the execution side refuses a MODIFY of it (a CANCEL
    // changes nothing). A target is DONE whenever its position is reached, and is held on.
    if (ended === 'DONE' && intent.kind !== 'TARGET_POSITION') throw new HttpError(409, 'intent_done', `intent ${intentId} is done (filled whole); place a new intent`, 'intentId');
    return intent;
  }

  /** An ORDER intent from the standard order in the body. */
  async function placeOrder(context: RouteContext): Promise<IdempotentResult> {
    const request = parseOrderRequest(await context.body());
    return placeOnce(context, (intentId) => ({
      ...intentEnvelope(context.principal, intentId, request),
      action: 'PLACE',
      kind: 'ORDER',
      order: request.order,
      targetQuantity: null,
      algo: request.algo,
    }));
  }

  /** A TARGET_POSITION intent from the body. */
  async function placeTarget(context: RouteContext): Promise<IdempotentResult> {
    const request = parseTargetRequest(await context.body());
    return placeOnce(context, (intentId) => ({
      ...intentEnvelope(context.principal, intentId, request),
      action: 'PLACE',
      kind: 'TARGET_POSITION',
      order: null,
      targetQuantity: request.targetQuantity,
      algo: null,
    }));
  }

  return [
    { method: 'POST', path: '/execution/unified_order', role: 'trader', handle: placeOrder },
    {
      method: 'POST',
      path: '/execution/unified_cancel',
      role: 'trader',
      handle: async (context) => {
        const intent = knownIntent(intentIdField(await context.body()));
        return publishIntent({ ...intent, ...intentEnvelope(context.principal, intent.intentId, intent), action: 'CANCEL', order: null });
      },
    },
    {
      method: 'POST',
      path: '/execution/unified_amend',
      role: 'trader',
      handle: async (context) => {
        const body = await context.body();
        const intent = knownIntent(intentIdField(body));
        if (intent.kind === 'TARGET_POSITION') {
          const other = ['amount', 'limitPrice'].find((name) => present(body, name));
          if (other) throw invalid(other, `intent ${intent.intentId} is a TARGET_POSITION: amend its targetQuantity`);
          return publishIntent({ ...intent, ...intentEnvelope(context.principal, intent.intentId, intent), action: 'MODIFY', targetQuantity: targetQuantityField(body) });
        }
        if (present(body, 'targetQuantity')) throw invalid('targetQuantity', `intent ${intent.intentId} is an order: amend its amount or limitPrice`);
        if (!intent.order) throw invalid('intentId', `intent ${intent.intentId} has no order to amend`);
        // Intents from Kafka producers reach this state unchecked; the execution path dead-lettered such a one, so it cannot be amended.
        refuseNotExecuted(intent);
        const amount = positiveDecimal(body, 'amount', { optional: true });
        const limitPrice = positiveDecimal(body, 'limitPrice', { optional: true });
        if (!amount && !limitPrice) throw invalid('amount', 'give amount, limitPrice or both');
        if (limitPrice && !intent.order.limitPrice) throw invalid('limitPrice', 'cannot add a limit price to a market order');
        // The execution side holds a QUOTE amount as the base amount it was converted to when placed (DesiredState.inBase).
        if (amount && intent.order.amountType === 'QUOTE' && !amount.equals(parseDecimal(intent.order.amount, `intent ${intent.intentId} amount`))) {
          throw notExecuted('amount', `the amount of an intent given in QUOTE cannot be amended (${intent.order.amount} was converted to base when it was placed); cancel it and place a new one`);
        }
        const order = {
          ...intent.order,
          ...(amount && { amount: formatDecimal(amount) }),
          ...(limitPrice && { limitPrice: formatDecimal(limitPrice) }),
        };
        return publishIntent({ ...intent, ...intentEnvelope(context.principal, intent.intentId, intent), action: 'MODIFY', order });
      },
    },
    {
      method: 'POST',
      path: '/intents',
      role: 'trader',
      handle: async (context) => {
        const kind = oneOf(await context.body(), 'kind', ['ORDER', 'TARGET_POSITION'] as const, 'ORDER');
        if (kind === 'TARGET_POSITION') return placeTarget(context);
        if (present(await context.body(), 'targetQuantity')) throw invalid('targetQuantity', 'is a field of a TARGET_POSITION intent; an ORDER takes side and amount');
        return placeOrder(context);
      },
    },
    ...readRoutes(dependencies),
    previewRoute(dependencies),
    ...controlRoutes(dependencies),
    ...syncRoutes(dependencies),
    ...chartRoutes(dependencies),
    ...reportRoutes(dependencies),
    ...backtestRoutes(dependencies),
  ];
}

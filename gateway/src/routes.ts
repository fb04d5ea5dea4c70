import { randomUUID } from 'node:crypto';
import { TOPICS, formatDecimal, parseDecimal, type ControlCommand, type Intent, type MessageBus } from '@crossvenue/schemas';
import type { ApiPrincipal, Role } from './auth/ApiKeys.ts';
import { HttpError, invalid } from './http/HttpError.ts';
import { IdempotencyKeys, type IdempotentResult } from './IdempotencyKeys.ts';
import type { LiveState } from './LiveState.ts';
import {
  instrumentField,
  intentIdField,
  oneOf,
  optionalAccount,
  portfolioField,
  positiveDecimal,
  required,
  venueList,
} from './requests/fields.ts';
import { parseOrderRequest } from './requests/orderRequest.ts';

export interface RouteContext {
  principal: ApiPrincipal;
  params: Record<string, string>;
  query: URLSearchParams;
  body: () => Promise<Record<string, unknown>>;
  idempotencyKey: string | undefined;
}

export interface Route {
  method: 'GET' | 'POST';
  /** `{name}` segments are parameters. */
  path: string;
  role: Role;
  handle: (context: RouteContext) => Promise<IdempotentResult>;
}

export interface GatewayDependencies {
  state: LiveState;
  messages: MessageBus;
  idempotency: IdempotencyKeys;
  now: () => number;
}

const ok = (body: Record<string, unknown>, status = 200): IdempotentResult => ({ status, body });

/** Every API route: the server serves these and the OpenAPI document describes exactly these. */
export function apiRoutes({ state, messages, idempotency, now }: GatewayDependencies): Route[] {
  async function publishIntent(intent: Intent): Promise<IdempotentResult> {
    await messages.publish(TOPICS.intents, [intent]);
    state.record(TOPICS.intents.name, intent);
    return ok({ intentId: intent.intentId, action: intent.action, status: 'accepted', duplicate: false }, 202);
  }

  function intentEnvelope(principal: ApiPrincipal, intentId: string, fields: Pick<Intent, 'portfolio' | 'instrument' | 'account' | 'venues'>): Omit<Intent, 'action' | 'kind' | 'order' | 'targetQuantity'> {
    return { eventId: randomUUID(), intentId, ...fields, group: null, source: 'API', requestedBy: principal.name, createdAtMs: now() };
  }

  /** A new intent, once per Idempotency-Key. */
  async function placeOnce(context: RouteContext, build: (intentId: string) => Intent): Promise<IdempotentResult> {
    const body = await context.body();
    const { principal, idempotencyKey } = context;
    if (!idempotencyKey) return publishIntent(build(`api-${randomUUID()}`));
    const intentId = IdempotencyKeys.intentId(principal.name, idempotencyKey);
    return idempotency.once(principal.name, idempotencyKey, body, async () => {
      // Known from before a restart: the intent exists, so this is a repeat, not a new order.
      if (state.intents.has(intentId)) return ok({ intentId, status: 'accepted', duplicate: true });
      return publishIntent(build(intentId));
    });
  }

  function knownIntent(intentId: string): Intent {
    const intent = state.intents.get(intentId);
    if (!intent) throw new HttpError(404, 'unknown_intent', `no intent ${intentId}`, 'intentId');
    if (intent.action === 'CANCEL') throw new HttpError(409, 'intent_canceled', `intent ${intentId} is already canceled`, 'intentId');
    return intent;
  }

  return [
    {
      method: 'POST',
      path: '/execution/unified_order',
      role: 'trader',
      handle: async (context) => {
        const request = parseOrderRequest(await context.body(), now());
        return placeOnce(context, (intentId) => ({
          ...intentEnvelope(context.principal, intentId, request),
          action: 'PLACE',
          kind: 'ORDER',
          order: request.order,
          targetQuantity: null,
        }));
      },
    },
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
        if (!intent.order) throw invalid('intentId', `intent ${intent.intentId} has no order to amend`);
        const amount = positiveDecimal(body, 'amount', { optional: true });
        const limitPrice = positiveDecimal(body, 'limitPrice', { optional: true });
        if (!amount && !limitPrice) throw invalid('amount', 'give amount, limitPrice or both');
        if (limitPrice && !intent.order.limitPrice) throw invalid('limitPrice', 'cannot add a limit price to a market order');
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
        const body = await context.body();
        const kind = oneOf(body, 'kind', ['ORDER', 'TARGET_POSITION'] as const, 'ORDER');
        if (kind === 'ORDER') {
          const request = parseOrderRequest(body, now());
          return placeOnce(context, (intentId) => ({
            ...intentEnvelope(context.principal, intentId, request),
            action: 'PLACE',
            kind,
            order: request.order,
            targetQuantity: null,
          }));
        }
        const fields = { portfolio: portfolioField(body), instrument: instrumentField(body), account: optionalAccount(body), venues: venueList(body) };
        const target = signedDecimal(body, 'targetQuantity');
        return placeOnce(context, (intentId) => ({
          ...intentEnvelope(context.principal, intentId, fields),
          action: 'PLACE',
          kind,
          order: null,
          targetQuantity: target,
        }));
      },
    },
    {
      method: 'GET',
      path: '/intents/{intentId}',
      role: 'read',
      handle: async ({ params }) => {
        const desired = state.intents.get(params.intentId!);
        if (!desired) throw new HttpError(404, 'unknown_intent', `no intent ${params.intentId}`, 'intentId');
        const orders = [...state.orders.values()].filter((order) => order.intentId === desired.intentId);
        return ok({ desired, actual: { orders, openOrders: orders.filter((order) => state.openOrders().includes(order)).length } });
      },
    },
    {
      method: 'GET',
      path: '/execution/account_status',
      role: 'read',
      handle: async ({ query }) => {
        const portfolio = query.get('portfolio') ?? undefined;
        return ok({
          asOfMs: now(),
          balances: state.balanceReport(portfolio),
          positions: [...state.positions.values()].filter((position) => !portfolio || position.portfolio === portfolio),
          openOrders: state.openOrders(portfolio),
        });
      },
    },
    {
      method: 'GET',
      path: '/execution/sync_status',
      role: 'read',
      handle: async () => ok({ asOfMs: now(), accounts: state.syncReport() }),
    },
    {
      method: 'GET',
      path: '/market/books',
      role: 'read',
      handle: async () => ok({ books: [...state.books.values()].map((book) => book.data) }),
    },
    {
      method: 'POST',
      path: '/control/kill-switch',
      role: 'admin',
      handle: async ({ body, principal }) => {
        const command = parseKillSwitch(await body(), principal, now());
        await messages.publish(TOPICS.controlCommands, [command]);
        return ok({ status: 'accepted', scope: command.scope, engaged: command.engaged }, 202);
      },
    },
  ];
}

/** A target position: any sign, zero included (flat). */
function signedDecimal(body: Record<string, unknown>, name: string): string {
  required(body, name);
  try {
    return formatDecimal(parseDecimal(body[name], name));
  } catch (error) {
    throw invalid(name, (error as Error).message.replace(`${name}: `, ''));
  }
}

function parseKillSwitch(body: Record<string, unknown>, principal: ApiPrincipal, nowMs: number): ControlCommand {
  const scope = oneOf(body, 'scope', ['GLOBAL', 'PORTFOLIO', 'VENUE', 'ACCOUNT'] as const);
  const text = (name: string, needed: boolean) => {
    const value = body[name];
    if (value === undefined || value === null) {
      if (needed) throw invalid(name, `is required for scope ${scope}`);
      return null;
    }
    if (typeof value !== 'string' || !/^[\w.|-]{1,64}$/.test(value)) throw invalid(name, `must be an id, got ${JSON.stringify(value)}`);
    return value;
  };
  if (typeof body.engaged !== 'boolean') throw invalid('engaged', 'must be true (stop new orders) or false (release)');
  if (typeof body.reason !== 'string' || body.reason.trim() === '') throw invalid('reason', 'is required: say why, for the audit log');
  return {
    eventId: randomUUID(),
    type: 'KILL_SWITCH',
    scope,
    portfolio: text('portfolio', scope === 'PORTFOLIO'),
    venue: text('venue', scope === 'VENUE' || scope === 'ACCOUNT'),
    account: text('account', scope === 'ACCOUNT'),
    engaged: body.engaged,
    cancelOpenOrders: body.cancelOpenOrders === true,
    configKey: null,
    configValue: null,
    issuedBy: principal.name,
    reason: body.reason.trim(),
    issuedAtMs: nowMs,
  };
}

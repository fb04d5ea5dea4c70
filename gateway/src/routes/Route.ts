import type { MessageBus } from '@crossvenue/runtime';
import type { ApiPrincipal, Role } from '../auth/ApiKeys.ts';
import type { IdempotencyKeys, IdempotentResult } from '../IdempotencyKeys.ts';
import type { LiveState } from '../LiveState.ts';

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

export const ok = (body: Record<string, unknown>, status = 200): IdempotentResult => ({ status, body });

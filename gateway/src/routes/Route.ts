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
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `{name}` segments are parameters. */
  path: string;
  role: Role;
  handle: (context: RouteContext) => Promise<RouteResult>;
}

/** What a route answers: JSON (`body`), or a page instead (a saved backtest's HTML report), sent with its content type and headers. */
export interface RouteResult extends IdempotentResult {
  page?: { text: string; contentType: string; headers: Readonly<Record<string, string>> };
}

/** One of the audit log's named reports, as `crossvenue report` lists it. */
export interface ReportInfo {
  name: string;
  description: string;
  /** Its parameters; those ending in `_ms` take epoch milliseconds. */
  parameters: string[];
}

/** The audit log's named reports (infra/clickhouse/reports), where the run writes one to ClickHouse. */
export interface AuditReports {
  list(): Promise<ReportInfo[]>;
  run(name: string, values: Record<string, string>): Promise<Array<Record<string, unknown>>>;
}

export interface GatewayDependencies {
  state: LiveState;
  messages: MessageBus;
  idempotency: IdempotencyKeys;
  now: () => number;
  /** Absent where the run has no audit log (the embedded run): the report routes say so. */
  reports?: AuditReports;
  /** The saved backtest runs' folder (gateway/src/backtests/); absent, the backtest routes say so. */
  backtests?: string;
}

export const ok = (body: Record<string, unknown>, status = 200): IdempotentResult => ({ status, body });

import { randomUUID } from 'node:crypto';
import {
  parseAccountId,
  parsePortfolioId,
  parseVenueId,
  type ControlCommand,
  type ControlCommandType,
  type ControlScope,
} from '@crossvenue/schemas';
import type { ApiPrincipal } from '../auth/ApiKeys.ts';
import { invalid } from '../http/HttpError.ts';
import { field, oneOf, optionalBoolean, present } from './fields.ts';

type Body = Record<string, unknown>;
type Target = Pick<ControlCommand, 'scope' | 'portfolio' | 'venue' | 'account'>;

/** The scope and the portfolio, venue or account it names; each named field must be there for its scope. */
function parseTarget(body: Body, scopes: readonly ControlScope[]): Target {
  const scope = oneOf(body, 'scope', scopes);
  const id = (name: 'portfolio' | 'venue' | 'account', needed: boolean, parse: (raw: unknown) => string) => {
    if (!present(body, name)) {
      if (needed) throw invalid(name, `is required for scope ${scope}`);
      return null;
    }
    return field(body, name, parse);
  };
  return {
    scope,
    portfolio: id('portfolio', scope === 'PORTFOLIO', parsePortfolioId),
    venue: id('venue', scope === 'VENUE' || scope === 'ACCOUNT', parseVenueId),
    account: id('account', scope === 'ACCOUNT', parseAccountId),
  };
}

function reasonField(body: Body): string {
  if (typeof body.reason !== 'string' || body.reason.trim() === '') throw invalid('reason', 'is required: say why, for the audit log');
  return body.reason.trim();
}

function command(type: ControlCommandType, target: Target, body: Body, principal: ApiPrincipal, nowMs: number, switchTo: Pick<ControlCommand, 'engaged' | 'cancelOpenOrders'>): ControlCommand {
  return {
    eventId: randomUUID(),
    type,
    ...target,
    ...switchTo,
    configKey: null,
    configValue: null,
    issuedBy: principal.name,
    reason: reasonField(body),
    issuedAtMs: nowMs,
  };
}

/** `POST /control/kill-switch`: stop (engaged true) or release new orders in a scope. */
export function parseKillSwitch(body: Body, principal: ApiPrincipal, nowMs: number): ControlCommand {
  const target = parseTarget(body, ['GLOBAL', 'PORTFOLIO', 'VENUE', 'ACCOUNT']);
  if (typeof body.engaged !== 'boolean') throw invalid('engaged', 'must be true (stop new orders) or false (release)');
  // A cancelOpenOrders that is not a boolean ("true", 1) is refused, not read as false: it would leave the orders open.
  return command('KILL_SWITCH', target, body, principal, nowMs, { engaged: body.engaged, cancelOpenOrders: optionalBoolean(body, 'cancelOpenOrders') });
}

const VENUE_SCOPES = ['GLOBAL', 'VENUE', 'ACCOUNT'] as const;

/**
 * `POST /control/cancel-all` and `/control/resume`: cancel every open order in a scope (and halt
 * it), or lift that halt. The execution worker applies them; this only states them, audited.
 */
export function parseScopedControl(type: 'CANCEL_ALL' | 'RESUME', body: Body, principal: ApiPrincipal, nowMs: number): ControlCommand {
  return command(type, parseTarget(body, VENUE_SCOPES), body, principal, nowMs, { engaged: null, cancelOpenOrders: true });
}

/** `POST /control/flatten`: close every position on one venue (or one account on it), the others untouched. */
export function parseFlatten(body: Body, principal: ApiPrincipal, nowMs: number): ControlCommand {
  const target = parseTarget({ ...body, scope: present(body, 'account') ? 'ACCOUNT' : 'VENUE' }, VENUE_SCOPES);
  return command('FLATTEN', target, body, principal, nowMs, { engaged: null, cancelOpenOrders: true });
}

import { TOPICS, type ControlCommand } from '@crossvenue/schemas';
import type { ApiPrincipal, Role } from '../auth/ApiKeys.ts';
import { parseFlatten, parseKillSwitch, parseScopedControl } from '../requests/controlRequest.ts';
import { ok, type GatewayDependencies, type Route } from './Route.ts';

type Parse = (body: Record<string, unknown>, principal: ApiPrincipal, nowMs: number) => ControlCommand;

/** Kill switches (admin), cancel-all, flatten and resume (trader): each one audited control command. */
export function controlRoutes({ messages, now }: GatewayDependencies): Route[] {
  const control = (path: string, role: Role, parse: Parse): Route => ({
    method: 'POST',
    path,
    role,
    handle: async ({ body, principal }) => {
      const command = parse(await body(), principal, now());
      await messages.publish(TOPICS.controlCommands, [command]);
      const { eventId, type, scope, portfolio, venue, account, engaged } = command;
      return ok({ status: 'accepted', eventId, type, scope, portfolio, venue, account, engaged }, 202);
    },
  });
  return [
    control('/control/kill-switch', 'admin', parseKillSwitch),
    control('/control/cancel-all', 'trader', (body, principal, nowMs) => parseScopedControl('CANCEL_ALL', body, principal, nowMs)),
    control('/control/flatten', 'trader', parseFlatten),
    control('/control/resume', 'trader', (body, principal, nowMs) => parseScopedControl('RESUME', body, principal, nowMs)),
  ];
}

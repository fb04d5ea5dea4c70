import { randomUUID } from 'node:crypto';
import { followerKey, formatFollower, parseFollower } from '@crossvenue/processors/synchronizer';
import { InvalidInputError, TOPICS, type ControlCommand } from '@crossvenue/schemas';
import type { ApiPrincipal } from '../auth/ApiKeys.ts';
import { HttpError, invalid } from '../http/HttpError.ts';
import { queryParameters } from '../requests/queryParameters.ts';
import { ok, type GatewayDependencies, type Route, type RouteContext } from './Route.ts';

/**
 * `PUT /sync/followers/{name}` (the body: one entry of the config file's `followers:` list) and
 * `DELETE /sync/followers/{name}`: a CONFIG_CHANGE control command `synchronizer.<name>` that the
 * synchronizer applies (and re-reads at every start: control.commands is compacted, the latest of
 * each key kept). The body is checked by the synchronizer's own parser first, so a configuration
 * it would refuse is a 400 here with the same one line, never published. Audited as every control
 * command; needs the trader role, as the other control routes that change trading.
 */
export function syncRoutes({ messages, now, state }: GatewayDependencies): Route[] {
  async function publish(context: RouteContext, name: string, configuration: Record<string, unknown> | null): Promise<ControlCommand> {
    const { reason } = queryParameters(context.query, ['reason']);
    const command = configChange(context.principal, name, configuration, reason?.trim() || `${configuration ? 'PUT' : 'DELETE'} /sync/followers/${name}`, now());
    await messages.publish(TOPICS.controlCommands, [command]);
    return command;
  }
  return [
    {
      method: 'PUT',
      path: '/sync/followers/{name}',
      role: 'trader',
      handle: async (context) => {
        const name = context.params.name!;
        const body = await context.body();
        if (body.name !== name) throw invalid('name', `must be the follower the path names ("${name}")`);
        let configuration: Record<string, unknown>;
        try {
          configuration = formatFollower(parseFollower(body, 'follower'));
        } catch (error) {
          if (!(error instanceof InvalidInputError)) throw error;
          // parseFollower's line names the setting: `follower.sizing.ratio: must be positive, got -1`.
          throw new HttpError(400, 'invalid_request', error.message, error.message.split(':')[0]);
        }
        const { eventId } = await publish(context, name, configuration);
        return ok({ status: 'accepted', eventId, follower: name, configuration }, 202);
      },
    },
    {
      method: 'DELETE',
      path: '/sync/followers/{name}',
      role: 'trader',
      handle: async (context) => {
        const name = context.params.name!;
        if (state.synchronizer.configurationOf(name) === null) throw new HttpError(404, 'unknown_follower', `no follower ${name} is configured`, 'name');
        const { eventId } = await publish(context, name, null);
        return ok({ status: 'accepted', eventId, follower: name, configuration: null }, 202);
      },
    },
  ];
}

function configChange(principal: ApiPrincipal, name: string, configuration: Record<string, unknown> | null, reason: string, nowMs: number): ControlCommand {
  return {
    eventId: randomUUID(),
    type: 'CONFIG_CHANGE',
    scope: 'GLOBAL',
    portfolio: null,
    venue: null,
    account: null,
    engaged: null,
    cancelOpenOrders: false,
    configKey: followerKey(name),
    configValue: configuration === null ? null : JSON.stringify(configuration),
    issuedBy: principal.name,
    reason,
    issuedAtMs: nowMs,
  };
}

/**
 * A route decision names the intent message it answers: its event id is `route:<intent event id>`,
 * so a router that answers the same message again (after a restart) publishes the same id, and
 * the audit keeps one row for it. The execution side tells such a repeat from a new decision by it.
 */
const PREFIX = 'route:';

export function routeDecisionId(intentEventId: string): string {
  return `${PREFIX}${intentEventId}`;
}

/** The intent event id a route decision was made for, or null for an id this router did not make. */
export function routedIntentEvent(decisionEventId: string): string | null {
  return decisionEventId.startsWith(PREFIX) ? decisionEventId.slice(PREFIX.length) : null;
}

/**
 * The command id of the PLACE for leg `leg` of a route decision: a restarted worker that reads back
 * a risk decision refusing it knows that decision was decided, even though nothing was sent.
 */
export function placeCommandId(decisionEventId: string, leg: number): string {
  return `place:${decisionEventId}:${leg}`;
}

/** The route decision a PLACE command id names, or null for any other command id. */
export function decisionOfPlaceCommand(commandId: string): string | null {
  const match = /^place:(.+):\d+$/.exec(commandId);
  return match ? match[1]! : null;
}

/** The event id of the REROUTE message asking for route `route` of the terms of intent message `terms`. */
export function rerouteEventId(terms: string, route: number): string {
  return `reroute:${terms}:${route}`;
}

/** The event id of the EXPIRE message ending version `version` of an intent: asked again, it is the same message. */
export function expireEventId(intentId: string, version: number): string {
  return `expire:${intentId}:${version}`;
}

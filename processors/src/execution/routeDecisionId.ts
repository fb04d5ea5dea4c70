/**
 * A route decision names the intent message it routed: its event id is `route:<intent event id>`.
 * The execution worker reads intents and route decisions side by side (two topics, so in no
 * guaranteed order) and uses this to tell a plan for the intent's current terms from one made for
 * terms a later MODIFY has replaced, and to hold a plan whose intent it has not read yet.
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

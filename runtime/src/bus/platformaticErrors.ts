/** What @platformatic/kafka's errors say: it nests them (causes, aggregated errors), so each question searches the whole tree. */

/** The client's errors that say the broker was away or slow (a connection failed, a request timed out). */
const BROKER_AWAY = new Set(['PLT_KFK_NETWORK', 'PLT_KFK_TIMEOUT']);

export function brokerAway(error: unknown): boolean {
  return [...BROKER_AWAY].some((code) => hasCode(error, code));
}

/** Whether the error, its causes or the errors it aggregates carry the code. */
export function hasCode(error: unknown, code: string): boolean {
  return someError(error, (e) => (e as { code?: string }).code === code);
}

/** Whether the broker answered with this error (by its name, as the client reports it). */
export function hasApiError(error: unknown, apiId: string): boolean {
  return someError(error, (e) => (e as { apiId?: string }).apiId === apiId);
}

function someError(error: unknown, test: (error: Error) => boolean, seen = new Set<unknown>()): boolean {
  if (!(error instanceof Error) || seen.has(error)) return false;
  seen.add(error);
  if (test(error)) return true;
  const nested = error instanceof AggregateError ? error.errors : [];
  return [error.cause, ...nested].some((inner) => someError(inner, test, seen));
}

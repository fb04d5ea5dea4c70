/** An API error: the status, a stable code, one line for a person, the field when one is at fault, and headers the status requires. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  body() {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

export const invalid = (field: string, message: string) => new HttpError(400, 'invalid_request', `${field}: ${message}`, field);

/** A well-formed request for something the execution path does not do: refused, never accepted and then dropped. */
export const notExecuted = (field: string, message: string) => new HttpError(422, 'not_executed', `${field}: ${message}`, field);

/** A 405 carries the methods the path does support in `Allow` (RFC 9110, section 15.5.6). */
export const methodNotAllowed = (method: string, path: string, allowed: readonly string[]) =>
  new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${path}; use ${allowed.join(' or ')}`, undefined, { allow: allowed.join(', ') });

/**
 * Kafka did not take what the request publishes (BusUnavailableError): it may or may not be
 * recorded. The client sends it again in a moment; with the same Idempotency-Key a repeated order
 * is the same intent, and a repeated cancel or amend changes nothing more.
 */
export const busUnavailable = (error: Error) =>
  new HttpError(503, 'unavailable', `Kafka did not take this request, so it may not be recorded (${error.message}); send it again in a moment, with the same Idempotency-Key for an order`, undefined, { 'retry-after': '2' });

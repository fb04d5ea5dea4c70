import ccxt from 'ccxt';

/**
 * What a failed venue call means for the order, grouped by what to do next:
 * - `unknown`: the request may have reached the venue (timeout, dropped connection, 5xx); a
 *   failed send is an unknown outcome, never a rejection;
 * - `not-found`: the venue says it has no such order (evidence);
 * - `refused`: the venue answered and did not act (bad request, funds, filters, rate limit), or
 *   could not be reached at all: a refused TCP connection sent no byte of the request.
 * ccxt's hierarchy: https://docs.ccxt.com/#/README?id=exception-hierarchy
 */
export type FailureKind = 'unknown' | 'not-found' | 'refused';

export function failureKind(error: unknown): FailureKind {
  if (error instanceof ccxt.OrderNotFound) return 'not-found';
  // A rate-limit answer (HTTP 429 / -1003 / 10006) is an answer: the venue did not take the order.
  // ccxt 4.5 derives RateLimitExceeded from NetworkError, not DDoSProtection, so both are named.
  if (error instanceof ccxt.DDoSProtection || error instanceof ccxt.RateLimitExceeded) return 'refused';
  // ccxt keeps only the message of the fetch error; "connect ECONNREFUSED" comes from opening a
  // new connection (a reused socket that breaks says ECONNRESET or EPIPE instead).
  if (error instanceof ccxt.NetworkError) return /\bconnect ECONNREFUSED\b/.test(error.message) ? 'refused' : 'unknown';
  if (error instanceof ccxt.ExchangeError) return 'refused';
  return 'unknown';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import ccxt from 'ccxt';

/**
 * What a failed venue call means for the order, grouped by what to do next:
 * - `unknown`: the request may have reached the venue (timeout, dropped connection, 5xx); a
 *   failed send is an unknown outcome, never a rejection;
 * - `not-found`: the venue says it has no such order (evidence);
 * - `refused`: the venue answered and did not act (bad request, funds, filters, rate limit).
 * ccxt's hierarchy: https://docs.ccxt.com/#/README?id=exception-hierarchy
 */
export type FailureKind = 'unknown' | 'not-found' | 'refused';

export function failureKind(error: unknown): FailureKind {
  if (error instanceof ccxt.OrderNotFound) return 'not-found';
  // A rate-limit answer (HTTP 429 / -1003 / 10006) is an answer: the venue did not take the order.
  if (error instanceof ccxt.DDoSProtection) return 'refused';
  if (error instanceof ccxt.NetworkError) return 'unknown';
  if (error instanceof ccxt.ExchangeError) return 'refused';
  return 'unknown';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { invalid } from '../http/HttpError.ts';

/** `?limit=` as a whole number from 1 to `max`; `fallback` when absent. */
export function queryLimit(query: URLSearchParams, fallback: number, max: number): number {
  const raw = query.get('limit');
  if (raw === null) return fallback;
  const limit = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= max)) throw invalid('limit', `must be a whole number from 1 to ${max}, got ${JSON.stringify(raw)}`);
  return limit;
}

import { formatDecimal, parseDecimal } from '@crossvenue/schemas';
import { invalid } from '../http/HttpError.ts';
import { field, instrumentField, optionalAccount, portfolioField, required, venueList } from './fields.ts';

export interface TargetRequest {
  portfolio: string;
  instrument: string;
  account: string | null;
  venues: string[];
  /** Signed, in the base asset. */
  targetQuantity: string;
}

/** What a TARGET_POSITION request takes; anything else (an order's side or amount) is refused, not ignored. */
const TARGET_FIELDS = new Set(['kind', 'portfolio', 'instrument', 'account', 'venues', 'targetQuantity']);

/**
 * A TARGET_POSITION intent: the signed position in `instrument` to reach and hold, in `account` or
 * across the portfolio's accounts, on `venues` or any. The execution side trades the difference
 * with market orders of its own and trades again whenever the position moves away from it.
 */
export function parseTargetRequest(body: Record<string, unknown>): TargetRequest {
  const unknown = Object.keys(body).find((name) => !TARGET_FIELDS.has(name));
  if (unknown !== undefined) throw invalid(unknown, `is not a field of a TARGET_POSITION intent (it takes ${[...TARGET_FIELDS].join(', ')})`);
  return {
    portfolio: portfolioField(body),
    instrument: instrumentField(body),
    account: optionalAccount(body),
    venues: venueList(body),
    targetQuantity: targetQuantityField(body),
  };
}

/** The signed position to hold, as a decimal string. */
export function targetQuantityField(body: Record<string, unknown>): string {
  required(body, 'targetQuantity');
  return formatDecimal(field(body, 'targetQuantity', (raw) => parseDecimal(raw, 'targetQuantity')));
}

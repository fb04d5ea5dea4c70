import { EngineRejection } from '../engine/EngineRejection.ts';
import type { VenueResponse } from '../VenueTransport.ts';

/**
 * A Binance spot error as the venue sends it: HTTP status and `{code, msg}`.
 * https://developers.binance.com/docs/binance-spot-api-docs/errors
 */
export class BinanceError extends Error {
  override readonly name = 'BinanceError';
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
  ) {
    super(msg);
  }

  get body(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

export type BinanceAction = 'new' | 'cancel' | 'query';

/** The engine's refusal in Binance's words; `action` decides between -2013 and -2011 as Binance does. */
export function binanceErrorFor(rejection: EngineRejection, action: BinanceAction): BinanceError {
  switch (rejection.reason) {
    case 'UNKNOWN_SYMBOL':
      return new BinanceError(400, -1121, 'Invalid symbol.');
    case 'PRICE_FILTER':
    case 'LOT_SIZE':
    case 'MIN_NOTIONAL':
    case 'INVALID_PARAMETER':
      return new BinanceError(400, -1013, rejection.message);
    case 'INSUFFICIENT_BALANCE':
      return new BinanceError(400, -2010, 'Account has insufficient balance for requested action.');
    case 'WOULD_TAKE':
    case 'DUPLICATE_CLIENT_ORDER_ID':
      return new BinanceError(400, -2010, rejection.message);
    case 'UNKNOWN_ORDER':
      return action === 'query' ? new BinanceError(400, -2013, 'Order does not exist.') : new BinanceError(400, -2011, 'Unknown order sent.');
    case 'ORDER_NOT_OPEN':
      return new BinanceError(400, action === 'new' ? -2010 : -2011, 'Unknown order sent.');
  }
}

export const BINANCE_RATE_LIMITED = new BinanceError(
  429,
  -1003,
  'Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute. Please use WebSocket Streams for live updates to avoid polling the API.',
);

/** The transport-level answers of a Binance venue (spot and USD-M): its rate-limit refusal and its unknown error. */
export const BINANCE_FAILURES = {
  rateLimited: (): VenueResponse => ({ status: BINANCE_RATE_LIMITED.status, body: BINANCE_RATE_LIMITED.body, headers: { 'retry-after': '1' } }),
  internalError: (): VenueResponse => ({ status: 500, body: { code: -1000, msg: 'An unknown error occurred while processing the request.' } }),
};

export const missingParameter = (name: string) =>
  new BinanceError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);

/** How one Binance dialect words a refusal it knows (undefined: not a refusal, let it through). */
export type BinanceTranslation = (error: unknown, action: BinanceAction) => BinanceError | undefined;

/** The spot words: the engine's rejections. */
export const engineRejections: BinanceTranslation = (error, action) => (error instanceof EngineRejection ? binanceErrorFor(error, action) : undefined);

/** Runs engine work for `action`, turning a refusal into the Binance error `translate` gives it. */
export function asBinance<T>(action: BinanceAction, work: () => T, translate: BinanceTranslation = engineRejections): T {
  try {
    return work();
  } catch (error) {
    throw translate(error, action) ?? error;
  }
}

/** Answers a request, a BinanceError as Binance sends it: its HTTP status and `{code, msg}`. */
export function binanceAnswer(route: () => VenueResponse): VenueResponse {
  try {
    return route();
  } catch (error) {
    if (error instanceof BinanceError) return { status: error.status, body: error.body };
    throw error;
  }
}

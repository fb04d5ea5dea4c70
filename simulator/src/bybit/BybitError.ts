import type { EngineRejection } from '../engine/EngineRejection.ts';
import type { MarketRules, OrderRequest } from '../engine/types.ts';

/**
 * A Bybit v5 refusal: HTTP 200 with a non-zero `retCode` in the `{retCode, retMsg, result}` envelope.
 * https://bybit-exchange.github.io/docs/v5/error
 */
export class BybitError extends Error {
  override readonly name = 'BybitError';
  constructor(
    readonly retCode: number,
    retMsg: string,
  ) {
    super(retMsg);
  }
}

export const paramsError = (detail: string) => new BybitError(10001, `params error: ${detail}`);

/** The engine's refusal in Bybit's spot words (the 1701xx/1702xx spot trading codes). */
export function bybitErrorFor(rejection: EngineRejection, rules: MarketRules | undefined, request?: OrderRequest): BybitError {
  switch (rejection.reason) {
    case 'UNKNOWN_SYMBOL':
      return new BybitError(170121, 'Invalid symbol.');
    case 'PRICE_FILTER':
      return new BybitError(170134, 'Order price has too many decimals.');
    case 'LOT_SIZE':
      if (rules && request && request.quantity.lt(rules.minQty)) return new BybitError(170136, 'Order quantity lower than the minimum.');
      if (rules && request && request.quantity.gt(rules.maxQty)) return new BybitError(170135, 'Order quantity too large.');
      return new BybitError(170137, 'Order quantity has too many decimals.');
    case 'MIN_NOTIONAL':
      return new BybitError(170140, 'Order value exceeded lower limit.');
    case 'INSUFFICIENT_BALANCE':
      return new BybitError(170131, 'Insufficient balance.');
    case 'WOULD_TAKE':
      return new BybitError(170218, 'The LIMIT-MAKER order is rejected due to invalid price.');
    case 'DUPLICATE_CLIENT_ORDER_ID':
      return new BybitError(170141, 'Duplicate clientOrderId.');
    case 'UNKNOWN_ORDER':
    case 'ORDER_NOT_OPEN':
      return new BybitError(170213, 'Order does not exist.');
    case 'INVALID_PARAMETER':
      return paramsError(rejection.message);
  }
}

export const BYBIT_RATE_LIMITED = new BybitError(10006, 'Too many visits. Exceeded the API Rate Limit.');

import type { EngineRejection } from '../engine/EngineRejection.ts';
import type { MarketRules, OrderRequest } from '../engine/types.ts';

/**
 * An OKX v5 refusal: `{code, msg, data}` with a string code. A request refused as a whole carries
 * the code in `code` (HTTP 401 for authentication, 429 for the rate limit, else 200); one order of
 * a place, cancel or amend request carries it as `sCode`/`sMsg` in its `data` entry instead.
 * https://www.okx.com/docs-v5/en/#error-code
 */
export class OkxError extends Error {
  override readonly name = 'OkxError';
  constructor(
    readonly code: string,
    msg: string,
    readonly status = 200,
  ) {
    super(msg);
  }

  get body(): { code: string; msg: string; data: [] } {
    return { code: this.code, msg: this.message, data: [] };
  }
}

export const parameterError = (name: string) => new OkxError('51000', `Parameter ${name} error`);
export const missingParameter = (name: string) => new OkxError('50014', `Parameter ${name} can not be empty.`);

/** What an order request is: OKX words the same refusal differently for each. */
export type OrderAction = 'place' | 'cancel' | 'amend' | 'query';

/** The engine's refusal in OKX's words for `action` (51xxx, the trade codes). */
export function okxErrorFor(rejection: EngineRejection, action: OrderAction, rules?: MarketRules, request?: OrderRequest): OkxError {
  switch (rejection.reason) {
    case 'UNKNOWN_SYMBOL':
      return new OkxError('51001', "Instrument ID doesn't exist.");
    case 'PRICE_FILTER':
      return parameterError('px');
    case 'LOT_SIZE':
      if (rules && request?.quantity.lt(rules.minQty)) return new OkxError('51020', 'Your order should meet or exceed the minimum order amount.');
      if (rules && request?.quantity.gt(rules.maxQty)) return parameterError('sz');
      return new OkxError('51121', 'Order quantity must be a multiple of the lot size.');
    case 'MIN_NOTIONAL':
      return new OkxError('51020', 'Your order should meet or exceed the minimum order amount.');
    case 'INSUFFICIENT_BALANCE':
      return new OkxError('51008', 'Order failed. Insufficient balance.');
    case 'WOULD_TAKE':
      // OKX itself accepts a crossing post_only order and cancels it at once (cancelSource 31); the
      // engine refuses it before it exists, so the simulator answers with OKX's post-only code.
      return action === 'amend'
        ? new OkxError('51511', 'Operation failed as the order price did not meet the requirement for Post Only.')
        : new OkxError('51019', 'Post only order would take liquidity.');
    case 'DUPLICATE_CLIENT_ORDER_ID':
      return new OkxError('51016', 'Duplicated client order ID.');
    case 'UNKNOWN_ORDER':
    case 'ORDER_NOT_OPEN':
      if (action === 'cancel') return new OkxError('51400', 'Order cancellation failed as the order has been filled, canceled or does not exist.');
      if (action === 'amend') return new OkxError('51503', 'Order modification failed as the order has been filled, canceled or does not exist.');
      return new OkxError('51603', 'Order does not exist.');
    case 'INVALID_PARAMETER':
      return new OkxError('51000', `Parameter error: ${rejection.message}`);
  }
}

export const OKX_RATE_LIMITED = new OkxError('50011', 'Too Many Requests', 429);

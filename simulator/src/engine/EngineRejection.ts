/**
 * Why the engine refused a request. The dialects map each reason to their venue's real code and
 * message (Binance `{code,msg}`, Bybit `retCode`), so the reasons stay venue-neutral here.
 */
export type RejectReason =
  | 'UNKNOWN_SYMBOL'
  | 'PRICE_FILTER'
  | 'LOT_SIZE'
  | 'MIN_NOTIONAL'
  | 'INSUFFICIENT_BALANCE'
  | 'WOULD_TAKE'
  | 'DUPLICATE_CLIENT_ORDER_ID'
  | 'UNKNOWN_ORDER'
  | 'ORDER_NOT_OPEN'
  | 'INVALID_PARAMETER';

export class EngineRejection extends Error {
  override readonly name = 'EngineRejection';
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super(message);
  }
}

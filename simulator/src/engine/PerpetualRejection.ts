/**
 * Why the perpetual model refused a request; the derivatives dialect maps each reason to its
 * venue's code (Binance USD-M -2019, -2022, -4028, -4046, -4048), as EngineRejection's are.
 */
export type PerpetualRejectReason = 'MARGIN_INSUFFICIENT' | 'REDUCE_ONLY_REJECTED' | 'INVALID_LEVERAGE' | 'MARGIN_TYPE_UNCHANGED' | 'MARGIN_TYPE_WITH_POSITION';

export class PerpetualRejection extends Error {
  override readonly name = 'PerpetualRejection';
  constructor(
    readonly reason: PerpetualRejectReason,
    message: string,
  ) {
    super(message);
  }
}

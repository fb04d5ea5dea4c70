import { EngineRejection } from '../engine/EngineRejection.ts';
import { PerpetualRejection } from '../engine/PerpetualRejection.ts';
import { BinanceError, binanceErrorFor, type BinanceTranslation } from '../binance/BinanceError.ts';

/**
 * Refusals in Binance USD-M's words: the perpetual model's, and the engine's where futures use
 * other codes than spot (filters, post-only, duplicate client ids); the rest as spot words them.
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/error-code
 */
export const usdmRejections: BinanceTranslation = (error, action) => {
  if (error instanceof PerpetualRejection) {
    switch (error.reason) {
      case 'MARGIN_INSUFFICIENT':
        return new BinanceError(400, -2019, 'Margin is insufficient.');
      case 'REDUCE_ONLY_REJECTED':
        return new BinanceError(400, -2022, 'ReduceOnly Order is rejected.');
      case 'INVALID_LEVERAGE':
        return new BinanceError(400, -4028, error.message);
      case 'MARGIN_TYPE_UNCHANGED':
        return new BinanceError(400, -4046, error.message);
      case 'MARGIN_TYPE_WITH_POSITION':
        return new BinanceError(400, -4048, error.message);
    }
  }
  if (!(error instanceof EngineRejection)) return undefined;
  switch (error.reason) {
    case 'PRICE_FILTER':
      return new BinanceError(400, -4014, 'Price not increased by tick size.');
    case 'LOT_SIZE':
      return new BinanceError(400, -1111, 'Precision is over the maximum defined for this asset.');
    case 'MIN_NOTIONAL':
      return new BinanceError(400, -4164, "Order's notional must be no smaller than the symbol's minimum notional (unless you choose reduce only).");
    case 'WOULD_TAKE':
      return new BinanceError(400, -5022, 'Due to the order could not be executed as maker, the Post Only order will be rejected.');
    case 'DUPLICATE_CLIENT_ORDER_ID':
      return new BinanceError(400, -4116, 'ClientOrderId is duplicated.');
    case 'INSUFFICIENT_BALANCE':
      return new BinanceError(400, -2019, 'Margin is insufficient.');
    default:
      return binanceErrorFor(error, action);
  }
};

import { Decimal } from '@crossvenue/schemas';
import type { Execution, MarketRules, Order } from '../engine/types.ts';

/**
 * Engine values in Binance spot's wire shapes (decimal strings with 8 places, as Binance sends).
 * https://developers.binance.com/docs/binance-spot-api-docs/rest-api/trading-endpoints
 */
export const fixed = (value: Decimal) => value.toFixed(8);
const ZERO = new Decimal(0);

/** The fields every Binance order shape shares. */
function orderCore(order: Order) {
  return {
    symbol: order.symbol,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    price: fixed(order.price),
    origQty: fixed(order.quantity),
    executedQty: fixed(order.executedQuantity),
    cummulativeQuoteQty: fixed(order.cumulativeQuote),
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
    selfTradePreventionMode: 'EXPIRE_TAKER',
  };
}

/** `GET /api/v3/order` and `openOrders`. */
export function binanceOrder(order: Order) {
  return {
    ...orderCore(order),
    stopPrice: '0.00000000',
    icebergQty: '0.00000000',
    time: order.createdAt,
    updateTime: order.updatedAt,
    isWorking: order.status === 'NEW' || order.status === 'PARTIALLY_FILLED',
    workingTime: order.createdAt,
    origQuoteOrderQty: '0.00000000',
  };
}

/** The FULL response of `POST /api/v3/order`: the order and the fills of this request. */
export function binanceNewOrderResponse(order: Order, fills: Execution[]) {
  return {
    ...orderCore(order),
    transactTime: order.updatedAt,
    workingTime: order.createdAt,
    fills: fills.map((fill) => ({
      price: fixed(fill.trade.price),
      qty: fixed(fill.trade.quantity),
      commission: fixed(fill.commission),
      commissionAsset: fill.commissionAsset,
      tradeId: fill.trade.tradeId,
    })),
  };
}

/** `DELETE /api/v3/order`: `clientOrderId` is the cancel's own id, the order's is `origClientOrderId`. */
export function binanceCancelResponse(order: Order, cancelClientOrderId: string | null) {
  return {
    ...orderCore(order),
    origClientOrderId: order.clientOrderId,
    clientOrderId: cancelClientOrderId ?? `cancel-${order.orderId}`,
    transactTime: order.updatedAt,
  };
}

export function binanceMyTrade(execution: Execution) {
  const { trade } = execution;
  return {
    symbol: trade.symbol,
    id: trade.tradeId,
    orderId: execution.orderId,
    orderListId: -1,
    price: fixed(trade.price),
    qty: fixed(trade.quantity),
    quoteQty: fixed(trade.quantity.times(trade.price)),
    commission: fixed(execution.commission),
    commissionAsset: execution.commissionAsset,
    time: trade.time,
    isBuyer: execution.side === 'BUY',
    isMaker: execution.isMaker,
    isBestMatch: true,
  };
}

/** The exchangeInfo entry for one symbol, with Binance's filters. */
export function binanceSymbol(rules: MarketRules) {
  return {
    symbol: rules.symbol,
    status: 'TRADING',
    baseAsset: rules.baseAsset,
    baseAssetPrecision: 8,
    quoteAsset: rules.quoteAsset,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'],
    icebergAllowed: false,
    ocoAllowed: false,
    quoteOrderQtyMarketAllowed: false,
    allowTrailingStop: false,
    cancelReplaceAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: fixed(rules.minPrice), maxPrice: fixed(rules.maxPrice), tickSize: fixed(rules.tickSize) },
      { filterType: 'LOT_SIZE', minQty: fixed(rules.minQty), maxQty: fixed(rules.maxQty), stepSize: fixed(rules.stepSize) },
      { filterType: 'NOTIONAL', minNotional: fixed(rules.minNotional), applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_TAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER'],
  };
}

/** The user-data-stream `executionReport` for one order event. */
export function binanceExecutionReport(order: Order, execution: string, fill: Execution | undefined, eventTime: number) {
  return {
    e: 'executionReport',
    E: eventTime,
    s: order.symbol,
    c: order.clientOrderId,
    S: order.side,
    o: order.type,
    f: order.timeInForce,
    q: fixed(order.quantity),
    p: fixed(order.price),
    P: '0.00000000',
    F: '0.00000000',
    g: -1,
    C: '',
    x: execution,
    X: order.status,
    r: 'NONE',
    i: order.orderId,
    l: fixed(fill?.trade.quantity ?? ZERO),
    z: fixed(order.executedQuantity),
    L: fixed(fill?.trade.price ?? ZERO),
    n: fixed(fill?.commission ?? ZERO),
    N: fill?.commissionAsset ?? null,
    T: fill?.trade.time ?? order.updatedAt,
    t: fill?.trade.tradeId ?? -1,
    I: fill?.trade.tradeId ?? 0,
    w: order.status === 'NEW' || order.status === 'PARTIALLY_FILLED',
    m: fill?.isMaker ?? false,
    M: false,
    O: order.createdAt,
    Z: fixed(order.cumulativeQuote),
    Y: fixed(fill ? fill.trade.quantity.times(fill.trade.price) : ZERO),
    Q: '0.00000000',
    W: order.createdAt,
    V: 'EXPIRE_TAKER',
  };
}


import { Decimal, formatDecimal } from '@crossvenue/schemas';
import type { AssetBalance } from '../engine/Balances.ts';
import type { Execution, MarketRules, Order } from '../engine/types.ts';

/**
 * Engine values in Bybit v5 spot's wire shapes (strings for numbers and times, as Bybit sends).
 * https://bybit-exchange.github.io/docs/v5/order/open-order
 */
const text = (value: Decimal) => formatDecimal(value);
const side = (value: 'BUY' | 'SELL') => (value === 'BUY' ? 'Buy' : 'Sell');

/** Bybit's status; a spot order ended with some fills is PartiallyFilledCanceled. */
function status(order: Order): string {
  switch (order.status) {
    case 'NEW':
      return 'New';
    case 'PARTIALLY_FILLED':
      return 'PartiallyFilled';
    case 'FILLED':
      return 'Filled';
    default:
      return order.executedQuantity.isZero() ? 'Cancelled' : 'PartiallyFilledCanceled';
  }
}

export function bybitOrder(order: Order) {
  const leaves = order.status === 'NEW' || order.status === 'PARTIALLY_FILLED' ? order.quantity.minus(order.executedQuantity) : new Decimal(0);
  return {
    category: 'spot',
    orderId: String(order.orderId),
    orderLinkId: order.clientOrderId,
    blockTradeId: '',
    symbol: order.symbol,
    price: order.type === 'MARKET' ? '0' : text(order.price),
    qty: text(order.quantity),
    side: side(order.side),
    isLeverage: '0',
    positionIdx: 0,
    orderStatus: status(order),
    cancelType: order.status === 'CANCELED' ? 'CancelByUser' : 'UNKNOWN',
    rejectReason: order.status === 'EXPIRED_IN_MATCH' ? 'EC_CancelForSmp' : 'EC_NoError',
    avgPrice: order.executedQuantity.isZero() ? '' : text(order.cumulativeQuote.div(order.executedQuantity)),
    leavesQty: text(leaves),
    leavesValue: text(leaves.times(order.price)),
    cumExecQty: text(order.executedQuantity),
    cumExecValue: text(order.cumulativeQuote),
    cumExecFee: text(order.commission),
    feeCurrency: order.commissionAsset,
    cumFeeDetail: order.commission.isZero() ? {} : { [order.commissionAsset]: text(order.commission) },
    timeInForce: order.type === 'LIMIT_MAKER' ? 'PostOnly' : order.timeInForce,
    orderType: order.type === 'MARKET' ? 'Market' : 'Limit',
    stopOrderType: '',
    orderIv: '',
    triggerPrice: '0',
    takeProfit: '0',
    stopLoss: '0',
    tpTriggerBy: '',
    slTriggerBy: '',
    triggerDirection: 0,
    triggerBy: '',
    lastPriceOnCreated: '',
    reduceOnly: false,
    closeOnTrigger: false,
    smpType: 'CancelTaker',
    smpGroup: 0,
    smpOrderId: '',
    placeType: '',
    marketUnit: order.type === 'MARKET' ? 'baseCoin' : '',
    createdTime: String(order.createdAt),
    updatedTime: String(order.updatedAt),
  };
}

export function bybitExecution(execution: Execution, order: Order, feeRate: Decimal) {
  const { trade } = execution;
  return {
    category: 'spot',
    symbol: trade.symbol,
    orderId: String(execution.orderId),
    orderLinkId: order.clientOrderId,
    side: side(execution.side),
    orderPrice: text(order.price),
    orderQty: text(order.quantity),
    leavesQty: text(order.quantity.minus(order.executedQuantity)),
    createType: 'CreateByUser',
    orderType: order.type === 'MARKET' ? 'Market' : 'Limit',
    stopOrderType: '',
    execFee: text(execution.commission),
    execId: String(trade.tradeId),
    execPrice: text(trade.price),
    execQty: text(trade.quantity),
    execType: 'Trade',
    execValue: text(trade.quantity.times(trade.price)),
    execTime: String(trade.time),
    feeCurrency: execution.commissionAsset,
    isMaker: execution.isMaker,
    feeRate: text(feeRate),
    tradeIv: '',
    markIv: '',
    markPrice: '',
    indexPrice: '',
    underlyingPrice: '',
    blockTradeId: '',
    closedSize: '',
    seq: trade.tradeId,
  };
}

export function bybitInstrument(rules: MarketRules) {
  return {
    symbol: rules.symbol,
    baseCoin: rules.baseAsset,
    quoteCoin: rules.quoteAsset,
    innovation: '0',
    status: 'Trading',
    marginTrading: 'none',
    stTag: '0',
    lotSizeFilter: {
      basePrecision: text(rules.stepSize),
      quotePrecision: '0.00000001',
      minOrderQty: text(rules.minQty),
      maxOrderQty: text(rules.maxQty),
      minOrderAmt: text(rules.minNotional),
      maxOrderAmt: '9000000',
    },
    priceFilter: { tickSize: text(rules.tickSize) },
    riskParameters: { priceLimitRatioX: '0.05', priceLimitRatioY: '0.05' },
  };
}

export function bybitCoin(coin: string, balance: Readonly<AssetBalance>) {
  const total = text(balance.free.plus(balance.locked));
  return {
    coin,
    equity: total,
    usdValue: '',
    walletBalance: total,
    free: text(balance.free),
    locked: text(balance.locked),
    spotHedgingQty: '0',
    borrowAmount: '0',
    availableToWithdraw: '',
    accruedInterest: '0',
    totalOrderIM: '0',
    totalPositionIM: '0',
    totalPositionMM: '0',
    unrealisedPnl: '0',
    cumRealisedPnl: '0',
    bonus: '0',
    marginCollateral: true,
    collateralSwitch: true,
  };
}

export const levels = (entries: Array<{ price: Decimal; total: Decimal }>) => entries.map(({ price, total }) => [text(price), text(total)]);

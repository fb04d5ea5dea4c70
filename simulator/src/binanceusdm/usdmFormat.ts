import { Decimal, formatDecimal } from '@crossvenue/schemas';
import type { FundingRecord } from '../engine/FundingRates.ts';
import type { AccountRisk, PositionRisk } from '../engine/MarginRisk.ts';
import type { Income, Perpetuals } from '../engine/Perpetuals.ts';
import { MAX_LEVERAGE } from '../engine/PositionBook.ts';
import type { Execution, MarketRules, Order } from '../engine/types.ts';

/**
 * Engine values in Binance USD-M's wire shapes: decimal strings without trailing zeros, one-way
 * mode (positionSide BOTH), post-only as LIMIT with timeInForce GTX.
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/trade/rest-api
 */
export const text = formatDecimal;
/** Average prices are quotients; Binance USD-M shows them with up to 8 places. */
const AVERAGE_PLACES = 8;
/** The notional a position may reach at any leverage: one bracket, no tiers. */
export const MAX_NOTIONAL = '1000000000';

/** The order's average fill price, zero before any fill. */
export function averagePrice(order: Readonly<Order>): Decimal {
  return order.executedQuantity.isZero() ? new Decimal(0) : order.cumulativeQuote.div(order.executedQuantity).toDecimalPlaces(AVERAGE_PLACES);
}

/** USD-M has no LIMIT_MAKER type: post-only is a LIMIT order with timeInForce GTX. */
export const usdmType = (order: Readonly<Order>) => (order.type === 'LIMIT_MAKER' ? 'LIMIT' : order.type);
export const usdmTimeInForce = (order: Readonly<Order>) => (order.type === 'LIMIT_MAKER' ? 'GTX' : order.timeInForce);

/** The fields every USD-M order shape shares. */
function orderCore(order: Order, perpetuals: Perpetuals) {
  const type = usdmType(order);
  return {
    orderId: order.orderId,
    symbol: order.symbol,
    status: order.status,
    clientOrderId: order.clientOrderId,
    price: text(order.price),
    avgPrice: text(averagePrice(order)),
    origQty: text(order.quantity),
    executedQty: text(order.executedQuantity),
    cumQuote: text(order.cumulativeQuote),
    timeInForce: usdmTimeInForce(order),
    type,
    reduceOnly: perpetuals.isReduceOnly(order.orderId),
    closePosition: false,
    side: order.side,
    positionSide: 'BOTH',
    stopPrice: '0',
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: type,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_TAKER',
    goodTillDate: 0,
    updateTime: order.updatedAt,
  };
}

/** `GET /fapi/v1/order`, `openOrders`, `allOrders`. */
export function usdmOrder(order: Order, perpetuals: Perpetuals) {
  return { ...orderCore(order, perpetuals), time: order.createdAt };
}

/** `POST` and `DELETE /fapi/v1/order`. */
export function usdmOrderResult(order: Order, perpetuals: Perpetuals) {
  return { ...orderCore(order, perpetuals), cumQty: text(order.executedQuantity) };
}

/** `GET /fapi/v1/userTrades`. */
export function usdmTrade(execution: Execution, perpetuals: Perpetuals) {
  const { trade } = execution;
  return {
    buyer: execution.side === 'BUY',
    commission: text(execution.commission),
    commissionAsset: execution.commissionAsset,
    id: trade.tradeId,
    maker: execution.isMaker,
    orderId: execution.orderId,
    price: text(trade.price),
    qty: text(trade.quantity),
    quoteQty: text(trade.quantity.times(trade.price)),
    realizedPnl: text(perpetuals.realizedPnl(execution.orderId, trade.tradeId)),
    side: execution.side,
    positionSide: 'BOTH',
    symbol: trade.symbol,
    time: trade.time,
  };
}

/** Places a value shows: Binance's pricePrecision / quantityPrecision. */
const places = (step: Decimal) => Math.max(0, step.decimalPlaces());

/** The exchangeInfo entry of one perpetual, with Binance's filters. */
export function usdmSymbol(rules: MarketRules) {
  return {
    symbol: rules.symbol,
    pair: rules.symbol,
    contractType: 'PERPETUAL',
    deliveryDate: 4133404800000,
    onboardDate: 1569398400000,
    status: 'TRADING',
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: rules.baseAsset,
    quoteAsset: rules.quoteAsset,
    marginAsset: rules.quoteAsset,
    pricePrecision: places(rules.tickSize),
    quantityPrecision: places(rules.stepSize),
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: [],
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    maxMoveOrderLimit: 10000,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: text(rules.minPrice), maxPrice: text(rules.maxPrice), tickSize: text(rules.tickSize) },
      { filterType: 'LOT_SIZE', minQty: text(rules.minQty), maxQty: text(rules.maxQty), stepSize: text(rules.stepSize) },
      { filterType: 'MARKET_LOT_SIZE', minQty: text(rules.minQty), maxQty: text(rules.maxQty), stepSize: text(rules.stepSize) },
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      { filterType: 'MIN_NOTIONAL', notional: text(rules.minNotional) },
    ],
    orderTypes: ['LIMIT', 'MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
  };
}

const marginType = (position: PositionRisk) => (position.position.marginType === 'ISOLATED' ? 'isolated' : 'cross');
/** Isolated: the isolated wallet plus unrealized PnL; cross: zero, as Binance sends. */
const isolatedMargin = (position: PositionRisk) => (position.position.marginType === 'ISOLATED' ? position.isolatedWallet.plus(position.unrealizedPnl) : new Decimal(0));

/** `GET /fapi/v3/positionRisk`: no leverage or margin type (v3 dropped them; the v2 shape has them). */
export function usdmPositionRiskV3(position: PositionRisk, marginAsset: string) {
  return {
    symbol: position.symbol,
    positionSide: 'BOTH',
    positionAmt: text(position.position.amount),
    entryPrice: text(position.position.entryPrice),
    // Fees are not folded in: the break-even price is the entry price here.
    breakEvenPrice: text(position.position.entryPrice),
    markPrice: text(position.markPrice),
    unRealizedProfit: text(position.unrealizedPnl),
    liquidationPrice: text(position.liquidationPrice),
    isolatedMargin: text(isolatedMargin(position)),
    notional: text(position.notional),
    marginAsset,
    isolatedWallet: text(position.isolatedWallet),
    initialMargin: text(position.initialMargin.plus(position.openOrderInitialMargin)),
    maintMargin: text(position.maintMargin),
    positionInitialMargin: text(position.initialMargin),
    openOrderInitialMargin: text(position.openOrderInitialMargin),
    adl: 0,
    bidNotional: '0',
    askNotional: '0',
    updateTime: position.position.updateTime,
  };
}

/** `GET /fapi/v2/positionRisk`. */
export function usdmPositionRiskV2(position: PositionRisk) {
  return {
    symbol: position.symbol,
    positionAmt: text(position.position.amount),
    entryPrice: text(position.position.entryPrice),
    breakEvenPrice: text(position.position.entryPrice),
    markPrice: text(position.markPrice),
    unRealizedProfit: text(position.unrealizedPnl),
    liquidationPrice: text(position.liquidationPrice),
    leverage: String(position.position.leverage),
    maxNotionalValue: MAX_NOTIONAL,
    marginType: marginType(position),
    isolatedMargin: text(isolatedMargin(position)),
    isAutoAddMargin: 'false',
    positionSide: 'BOTH',
    notional: text(position.notional),
    isolatedWallet: text(position.isolatedWallet),
    updateTime: position.position.updateTime,
  };
}

/** `GET /fapi/v2/account` and `/fapi/v3/account`: totals, the margin asset, every touched position. */
export function usdmAccount(risk: AccountRisk, marginAsset: string, now: number, version: 2 | 3) {
  const marginBalance = risk.walletBalance.plus(risk.unrealizedPnl);
  const initialMargin = risk.positionInitialMargin.plus(risk.openOrderInitialMargin);
  const maxWithdraw = Decimal.max(0, Decimal.min(risk.availableBalance, risk.walletBalance));
  const totals = {
    totalInitialMargin: text(initialMargin),
    totalMaintMargin: text(risk.maintMargin),
    totalWalletBalance: text(risk.walletBalance),
    totalUnrealizedProfit: text(risk.unrealizedPnl),
    totalMarginBalance: text(marginBalance),
    totalPositionInitialMargin: text(risk.positionInitialMargin),
    totalOpenOrderInitialMargin: text(risk.openOrderInitialMargin),
    totalCrossWalletBalance: text(risk.crossWalletBalance),
    totalCrossUnPnl: text(risk.crossUnrealizedPnl),
    availableBalance: text(risk.availableBalance),
    maxWithdrawAmount: text(maxWithdraw),
  };
  const asset = {
    asset: marginAsset,
    walletBalance: text(risk.walletBalance),
    unrealizedProfit: text(risk.unrealizedPnl),
    marginBalance: text(marginBalance),
    maintMargin: text(risk.maintMargin),
    initialMargin: text(initialMargin),
    positionInitialMargin: text(risk.positionInitialMargin),
    openOrderInitialMargin: text(risk.openOrderInitialMargin),
    crossWalletBalance: text(risk.crossWalletBalance),
    crossUnPnl: text(risk.crossUnrealizedPnl),
    availableBalance: text(risk.availableBalance),
    maxWithdrawAmount: text(maxWithdraw),
    updateTime: now,
    ...(version === 2 ? { marginAvailable: true } : {}),
  };
  const positions = risk.positions.map((position) => ({
    symbol: position.symbol,
    positionSide: 'BOTH',
    positionAmt: text(position.position.amount),
    unrealizedProfit: text(position.unrealizedPnl),
    isolatedMargin: text(isolatedMargin(position)),
    notional: text(position.notional),
    isolatedWallet: text(position.isolatedWallet),
    initialMargin: text(position.initialMargin.plus(position.openOrderInitialMargin)),
    maintMargin: text(position.maintMargin),
    updateTime: position.position.updateTime,
    ...(version === 2
      ? {
          positionInitialMargin: text(position.initialMargin),
          openOrderInitialMargin: text(position.openOrderInitialMargin),
          leverage: String(position.position.leverage),
          isolated: position.position.marginType === 'ISOLATED',
          entryPrice: text(position.position.entryPrice),
          maxNotional: MAX_NOTIONAL,
        }
      : {}),
  }));
  const v2 = { feeTier: 0, canTrade: true, canDeposit: true, canWithdraw: true, updateTime: 0, multiAssetsMargin: false, tradeGroupId: -1 };
  return { ...(version === 2 ? v2 : {}), ...totals, assets: [asset], positions };
}

/** `GET /fapi/v2/balance`: one entry, the margin asset. */
export function usdmBalance(risk: AccountRisk, marginAsset: string, now: number) {
  return [
    {
      accountAlias: 'SimAccount',
      asset: marginAsset,
      balance: text(risk.walletBalance),
      crossWalletBalance: text(risk.crossWalletBalance),
      crossUnPnl: text(risk.crossUnrealizedPnl),
      availableBalance: text(risk.availableBalance),
      maxWithdrawAmount: text(Decimal.max(0, Decimal.min(risk.availableBalance, risk.walletBalance))),
      marginAvailable: true,
      updateTime: now,
    },
  ];
}

/** `GET /fapi/v1/income`. */
export function usdmIncome(income: Income) {
  return {
    symbol: income.symbol,
    incomeType: income.incomeType,
    income: text(income.income),
    asset: income.asset,
    info: income.incomeType,
    time: income.time,
    tranId: income.tranId,
    tradeId: income.tradeId === undefined ? '' : String(income.tradeId),
  };
}

/** `GET /fapi/v1/fundingRate`. */
export function usdmFundingRate(record: FundingRecord) {
  return { symbol: record.symbol, fundingRate: text(record.fundingRate), fundingTime: record.fundingTime, markPrice: text(record.markPrice) };
}

/** `GET /fapi/v1/leverageBracket`: one bracket at the model's maintenance margin rate. */
export function usdmLeverageBracket(symbol: string, maintMarginRatio: Decimal) {
  return {
    symbol,
    notionalCoef: 1,
    brackets: [{ bracket: 1, initialLeverage: MAX_LEVERAGE, notionalCap: Number(MAX_NOTIONAL), notionalFloor: 0, maintMarginRatio: maintMarginRatio.toNumber(), cum: 0 }],
  };
}

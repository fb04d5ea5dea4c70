import { crc32 } from 'node:zlib';
import { formatDecimal, type Decimal } from '@crossvenue/schemas';
import type { AssetBalance } from '../engine/Balances.ts';
import type { Execution, MarketRules, Order } from '../engine/types.ts';
import type { BookSides, SentLevel } from '../SentLevels.ts';
import { instIdOf } from './okxParams.ts';

/**
 * Engine values in OKX v5 spot's wire shapes: every number a string, "" where OKX has no value,
 * fees negative (OKX writes a charge as a negative amount, a rebate as a positive one).
 * https://www.okx.com/docs-v5/en/#order-book-trading-trade-get-order-details
 */
const text = (value: Decimal) => formatDecimal(value);
const charge = (fee: Decimal) => (fee.isZero() ? '0' : text(fee.neg()));

function state(order: Order): string {
  switch (order.status) {
    case 'NEW':
      return 'live';
    case 'PARTIALLY_FILLED':
      return 'partially_filled';
    case 'FILLED':
      return 'filled';
    default:
      return 'canceled';
  }
}

function ordType(order: Order): string {
  if (order.type === 'MARKET') return 'market';
  if (order.type === 'LIMIT_MAKER') return 'post_only';
  return order.timeInForce === 'GTC' ? 'limit' : order.timeInForce.toLowerCase();
}

/** The "last fill" fields of an order: those of `fill`, or empty when the order has none to report. */
function lastFill(fill: Execution | undefined) {
  return {
    tradeId: fill ? String(fill.trade.tradeId) : '',
    fillPx: fill ? text(fill.trade.price) : '',
    fillSz: fill ? text(fill.trade.quantity) : '0',
    fillTime: fill ? String(fill.trade.time) : '',
  };
}

/** An order as `GET /trade/order` and the order lists give it; `fill` is its latest fill. */
export function okxOrder(rules: MarketRules, order: Order, fill: Execution | undefined) {
  return {
    instType: 'SPOT',
    instId: instIdOf(rules),
    tgtCcy: order.type === 'MARKET' ? 'base_ccy' : '',
    ccy: '',
    ordId: String(order.orderId),
    clOrdId: order.clientOrderId,
    tag: '',
    px: order.type === 'MARKET' ? '' : text(order.price),
    pxUsd: '',
    pxVol: '',
    pxType: '',
    sz: text(order.quantity),
    pnl: '0',
    ordType: ordType(order),
    side: order.side === 'BUY' ? 'buy' : 'sell',
    posSide: '',
    tdMode: 'cash',
    accFillSz: text(order.executedQuantity),
    ...lastFill(fill),
    avgPx: order.executedQuantity.isZero() ? '' : text(order.cumulativeQuote.div(order.executedQuantity)),
    state: state(order),
    stpId: '',
    stpMode: 'cancel_maker',
    lever: '',
    attachAlgoClOrdId: '',
    tpTriggerPx: '',
    tpTriggerPxType: '',
    tpOrdPx: '',
    slTriggerPx: '',
    slTriggerPxType: '',
    slOrdPx: '',
    attachAlgoOrds: [],
    linkedAlgoOrd: { algoId: '' },
    feeCcy: order.commissionAsset,
    fee: charge(order.commission),
    // The fee is charged in what the order receives; a maker rebate would be paid in what it gives.
    rebateCcy: order.side === 'BUY' ? rules.quoteAsset : rules.baseAsset,
    rebate: '0',
    source: '',
    category: 'normal',
    reduceOnly: 'false',
    isTpLimit: 'false',
    cancelSource: '',
    cancelSourceReason: '',
    quickMgnType: '',
    algoClOrdId: '',
    algoId: '',
    uTime: String(order.updatedAt),
    cTime: String(order.createdAt),
  };
}

/**
 * An `orders` channel push: the order, and the fill this push reports (fillSz, fillPx, tradeId,
 * fillFee, execType), empty on a push that reports none (placed, amended, canceled).
 * https://www.okx.com/docs-v5/en/#order-book-trading-trade-ws-order-channel
 */
export function okxOrderPush(rules: MarketRules, order: Order, fill: Execution | undefined) {
  return {
    ...okxOrder(rules, order, fill),
    fillFee: fill ? charge(fill.commission) : '0',
    fillFeeCcy: fill?.commissionAsset ?? '',
    fillNotionalUsd: '',
    fillPnl: '0',
    execType: fill ? (fill.isMaker ? 'M' : 'T') : '',
    notionalUsd: '',
    amendResult: '',
    reqId: '',
    code: '0',
    msg: '',
  };
}

/** One of `GET /trade/fills` and `fills-history`. */
export function okxFill(rules: MarketRules, execution: Execution, order: Order) {
  const { trade } = execution;
  return {
    instType: 'SPOT',
    instId: instIdOf(rules),
    tradeId: String(trade.tradeId),
    ordId: String(execution.orderId),
    clOrdId: order.clientOrderId,
    billId: String(trade.tradeId),
    subType: execution.side === 'BUY' ? '1' : '2',
    tag: '',
    fillPx: text(trade.price),
    fillSz: text(trade.quantity),
    fillIdxPx: '',
    fillPnl: '0',
    fillPxVol: '',
    fillPxUsd: '',
    fillMarkVol: '',
    fillFwdPx: '',
    fillMarkPx: '',
    side: execution.side === 'BUY' ? 'buy' : 'sell',
    posSide: 'net',
    execType: execution.isMaker ? 'M' : 'T',
    feeCcy: execution.commissionAsset,
    fee: charge(execution.commission),
    ts: String(trade.time),
    fillTime: String(trade.time),
  };
}

/** A spot instrument of `GET /public/instruments`. */
export function okxInstrument(rules: MarketRules) {
  return {
    instType: 'SPOT',
    instId: instIdOf(rules),
    instIdCode: '',
    uly: '',
    instFamily: '',
    baseCcy: rules.baseAsset,
    quoteCcy: rules.quoteAsset,
    settleCcy: '',
    ctVal: '',
    ctMult: '',
    ctValCcy: '',
    ctType: '',
    optType: '',
    stk: '',
    listTime: '',
    expTime: '',
    lever: '',
    tickSz: text(rules.tickSize),
    lotSz: text(rules.stepSize),
    minSz: text(rules.minQty),
    maxLmtSz: text(rules.maxQty),
    maxMktSz: '1000000',
    maxTwapSz: text(rules.maxQty),
    maxIcebergSz: text(rules.maxQty),
    maxTriggerSz: text(rules.maxQty),
    maxStopSz: '1000000',
    ruleType: 'normal',
    alias: '',
    category: '1',
    state: 'live',
  };
}

/** One currency of `GET /asset/currencies` (ccxt's okx reads it at load): no chains to deposit on. */
export function okxCurrency(ccy: string) {
  return { ccy, name: ccy, chain: `${ccy}-Simulated`, canDep: false, canWd: false, canInternal: false, minWd: '0', maxWd: '0', wdTickSz: '8', fee: '0', minFee: '0', maxFee: '0', mainNet: true, logoLink: '' };
}

/** One currency of `GET /account/balance` in spot (cash) mode: what orders hold is frozen. */
export function okxBalanceDetail(ccy: string, balance: Readonly<AssetBalance>, now: number) {
  const total = text(balance.free.plus(balance.locked));
  const frozen = text(balance.locked);
  return { ccy, eq: total, cashBal: total, availBal: text(balance.free), frozenBal: frozen, ordFrozen: frozen, availEq: '', disEq: '', eqUsd: '', isoEq: '0', upl: '0', liab: '', crossLiab: '', isoLiab: '', interest: '', maxLoan: '', mgnRatio: '', notionalLever: '', stgyEq: '0', twap: '0', spotInUseAmt: '', uTime: String(now) };
}

/** Book levels on the wire: `[price, size, "0" (deprecated), order count]`. */
export const okxLevels = (levels: SentLevel[]) => levels.map(({ price, quantity, orders }) => [price, quantity, '0', String(orders)]);

const CHECKSUM_LEVELS = 25;

/**
 * OKX's `books` checksum of the book the client holds after a push: the top 25 bids and asks
 * interleaved `bidPx:bidSz:askPx:askSz…` over the strings sent, CRC32 as a signed 32-bit integer.
 * The venue's own implementation, kept apart from the connector's (which checks it), so a mistake
 * in one shows against the other.
 * https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel
 */
export function okxChecksum(top: BookSides): number {
  const parts: string[] = [];
  for (let i = 0; i < CHECKSUM_LEVELS; i++) {
    for (const level of [top.bids[i], top.asks[i]]) if (level) parts.push(level.price, level.quantity);
  }
  return crc32(parts.join(':')) | 0;
}

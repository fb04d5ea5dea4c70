import type { Decimal } from '@crossvenue/schemas';

export type Side = 'BUY' | 'SELL';
/** LIMIT_MAKER is post-only: rejected if it would take (Binance LIMIT_MAKER, Bybit PostOnly). */
export type OrderType = 'LIMIT' | 'MARKET' | 'LIMIT_MAKER';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
/** Binance's order statuses; the Bybit dialect maps them to its own names. */
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'EXPIRED_IN_MATCH';

/** One instrument's trading rules, exact. */
export interface MarketRules {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  tickSize: Decimal;
  minPrice: Decimal;
  maxPrice: Decimal;
  stepSize: Decimal;
  minQty: Decimal;
  maxQty: Decimal;
  minNotional: Decimal;
}

export interface Fees {
  maker: Decimal;
  taker: Decimal;
}

export interface OrderRequest {
  account: string;
  symbol: string;
  side: Side;
  type: OrderType;
  timeInForce?: TimeInForce;
  quantity: Decimal;
  /** Required for LIMIT and LIMIT_MAKER, ignored for MARKET. */
  price?: Decimal;
  clientOrderId?: string;
}

export interface Order {
  orderId: number;
  clientOrderId: string;
  account: string;
  symbol: string;
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  price: Decimal;
  quantity: Decimal;
  executedQuantity: Decimal;
  cumulativeQuote: Decimal;
  /** Fees charged so far, in the asset the order receives (base for a buy, quote for a sell). */
  commission: Decimal;
  commissionAsset: string;
  status: OrderStatus;
  createdAt: number;
  updatedAt: number;
  /** Quote (buy) or base (sell) still locked for the unfilled part. */
  locked: Decimal;
}

export interface Trade {
  tradeId: number;
  symbol: string;
  price: Decimal;
  quantity: Decimal;
  time: number;
  /** True when the resting (maker) side was the buyer, as Binance's `m`. */
  buyerIsMaker: boolean;
}

/** One side of a trade as its owner sees it. */
export interface Execution {
  trade: Trade;
  orderId: number;
  account: string;
  side: Side;
  isMaker: boolean;
  commission: Decimal;
  commissionAsset: string;
}

export interface BookLevelChange {
  side: Side;
  price: Decimal;
  /** The level's new total; zero removes it. */
  quantity: Decimal;
}

/** What an engine operation changed, in order; the dialects turn these into stream messages. */
export type EngineEvent =
  | { kind: 'order'; order: Readonly<Order>; execution: 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'REPLACED'; fill?: Execution }
  | { kind: 'balance'; account: string; assets: string[]; time: number }
  | { kind: 'book'; symbol: string; updateId: number; changes: BookLevelChange[]; time: number }
  | { kind: 'trade'; trade: Trade };

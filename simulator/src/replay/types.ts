import type { Decimal } from '@crossvenue/schemas';

export type ReplaySide = 'BUY' | 'SELL';

/** One recorded price level as the recording wrote it: [price, quantity], decimal strings. */
export type RecordedLevel = readonly [string, string];

/** An order as it reaches a replay venue (quantities in the venue order unit). */
export interface ReplayOrderRequest {
  clientOrderId: string;
  instrument: string;
  side: ReplaySide;
  quantity: Decimal;
  /** Null: a market order. */
  limitPrice: Decimal | null;
  /** GTC rests what it does not take; IOC expires the rest; FOK fills whole or not at all. */
  timeInForce: 'GTC' | 'IOC' | 'FOK';
  postOnly: boolean;
}

/** A recorded public trade: `side` is the aggressor's. */
export interface RecordedTrade {
  side: ReplaySide;
  price: Decimal;
  quantity: Decimal;
}

export interface ReplayFill {
  tradeId: string;
  price: Decimal;
  quantity: Decimal;
  /** In the quote currency; negative is a rebate. */
  fee: Decimal;
  liquidity: 'MAKER' | 'TAKER';
}

/** The venue's status of an order after a report, as a venue user stream would tell it. */
export type ReplayOrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';

/** What the venue says about one order at one moment: its status and the fills that moment brought. */
export interface ReplayOrderReport {
  clientOrderId: string;
  venueOrderId: string;
  instrument: string;
  side: ReplaySide;
  atMs: number;
  status: ReplayOrderStatus;
  /** Cumulative. */
  filled: Decimal;
  averagePrice: Decimal | null;
  fills: ReplayFill[];
  /** Why, for a rejection, an expiry or a refused cancel. */
  reason: string | null;
  /** True when this report answers a cancel the venue refused (the order is unknown or done). */
  cancelRejected: boolean;
}

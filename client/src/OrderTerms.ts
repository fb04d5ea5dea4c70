import { randomUUID } from 'node:crypto';
import type { AmountType, Intent, IntentOrder, IntentSource, Side, TimeInForce } from '@crossvenue/schemas';

/** One order as a strategy asks for it; amounts and prices are decimal strings ("0.25"), never numbers. */
export interface OrderTerms {
  portfolio: string;
  /** Unified symbol, as ccxt writes it: BTC/USDT. */
  instrument: string;
  side: Side;
  amount: string;
  /** BASE (default) or QUOTE: the quote currency to spend or receive. */
  amountType?: AmountType;
  /** Omit for a market order. */
  limitPrice?: string;
  /** GTC unless given; a market order is sent IOC whatever it says. DAY ends at the next 00:00 UTC, GTD at expireAtMs: the intent then ends EXPIRED. */
  timeInForce?: TimeInForce;
  /** With GTD, and only then: when the intent ends, epoch ms. */
  expireAtMs?: number;
  postOnly?: boolean;
  reduceOnly?: boolean;
  /** The account to trade in; the router chooses among the portfolio's when omitted. */
  account?: string;
  /** The venues the router may use; any when omitted. */
  venues?: string[];
}

/** Who sends: every intent names its source and sender, and both appear on its statuses, fills and audit rows. */
export interface Sender {
  source: Extract<IntentSource, 'STRATEGY' | 'API'>;
  /** The strategy's name, or the user's. */
  requestedBy: string;
}

/** The intent order of some terms, with the defaults docs/strategies.md gives. */
export function orderOf(terms: OrderTerms): IntentOrder {
  return {
    side: terms.side,
    amount: terms.amount,
    amountType: terms.amountType ?? 'BASE',
    limitPrice: terms.limitPrice ?? null,
    timeInForce: terms.timeInForce ?? 'GTC',
    expireAtMs: terms.expireAtMs ?? null,
    postOnly: terms.postOnly ?? false,
    reduceOnly: terms.reduceOnly ?? false,
    trigger: null,
    icebergQuantity: null,
  };
}

/**
 * A PLACE of an ORDER intent. The intent id is the caller's when given (a strategy that derives it
 * from its own state can send again after a restart without placing twice), else a fresh UUID.
 */
export function placeIntent(terms: OrderTerms, sender: Sender, intentId: string = randomUUID(), nowMs = Date.now()): Intent {
  return {
    eventId: randomUUID(),
    intentId,
    portfolio: terms.portfolio,
    account: terms.account ?? null,
    venues: terms.venues ?? [],
    instrument: terms.instrument,
    action: 'PLACE',
    kind: 'ORDER',
    order: orderOf(terms),
    targetQuantity: null,
    algo: null,
    group: null,
    reroutes: null,
    avoidVenues: [],
    flattens: false,
    ...sender,
    createdAtMs: nowMs,
  };
}

/** What a MODIFY may change: the amount (of the same type) and the limit price. */
export type OrderChange = Partial<Pick<IntentOrder, 'amount' | 'limitPrice'>>;

/** A MODIFY (`change`) or a CANCEL (null) of an intent placed before: a message of its own, with a fresh event id. */
export function changeIntent(placed: Intent, change: OrderChange | null, nowMs = Date.now()): Intent {
  return {
    ...placed,
    eventId: randomUUID(),
    action: change ? 'MODIFY' : 'CANCEL',
    order: change && placed.order && { ...placed.order, ...change },
    createdAtMs: nowMs,
  };
}

import { randomUUID } from 'node:crypto';
import type { AmountType, ExecutionAlgo, Intent, IntentOrder, IntentSource, Side, TimeInForce, Trigger } from '@crossvenue/schemas';

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
  /** A stop or take-profit: held armed (status ACCEPTED) until a venue's mid crosses triggerPrice, then routed whole. */
  trigger?: Trigger;
  /** An iceberg: at most this much rests at a time. Needs limitPrice, GTC and a BASE amount; no trigger or algo. */
  icebergQuantity?: string;
  /** A TWAP over durationMs, a slice every sliceIntervalMs. Needs GTC and a BASE amount; no postOnly, trigger or iceberg. */
  algo?: ExecutionAlgo;
  /** The account to trade in; the router chooses among the portfolio's when omitted. */
  account?: string;
  /** The venues the router may use; any when omitted. */
  venues?: string[];
}

/** A position to reach and hold (docs/strategies.md "Target positions"), instead of an order. */
export interface TargetTerms {
  portfolio: string;
  /** Unified symbol, as ccxt writes it: BTC/USDT. */
  instrument: string;
  /** The signed position to hold in the base asset, a decimal string: "-0.5" is short, "0" flat. */
  targetQuantity: string;
  /** The account whose position it is; across the portfolio's accounts when omitted. */
  account?: string;
  /** The venues it is measured and traded on; any when omitted. */
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
    trigger: terms.trigger ?? null,
    icebergQuantity: terms.icebergQuantity ?? null,
  };
}

/** What every PLACE of this client has: where it trades, who sends, nothing of the execution side's own. */
function placeEnvelope(terms: Pick<OrderTerms, 'portfolio' | 'instrument' | 'account' | 'venues'>, sender: Sender, intentId: string, nowMs: number): Omit<Intent, 'kind' | 'order' | 'targetQuantity' | 'algo'> {
  return {
    eventId: randomUUID(),
    intentId,
    portfolio: terms.portfolio,
    account: terms.account ?? null,
    venues: terms.venues ?? [],
    instrument: terms.instrument,
    action: 'PLACE',
    group: null,
    reroutes: null,
    avoidVenues: [],
    flattens: false,
    ...sender,
    createdAtMs: nowMs,
  };
}

/**
 * A PLACE of an ORDER intent. The intent id is the caller's when given (a strategy that derives it
 * from its own state can send again after a restart without placing twice), else a fresh UUID.
 */
export function placeIntent(terms: OrderTerms, sender: Sender, intentId: string = randomUUID(), nowMs = Date.now()): Intent {
  return { ...placeEnvelope(terms, sender, intentId, nowMs), kind: 'ORDER', order: orderOf(terms), targetQuantity: null, algo: terms.algo ?? null };
}

/** A PLACE of a TARGET_POSITION intent: no order, the signed position to hold; the intent id as placeIntent's. */
export function targetIntent(terms: TargetTerms, sender: Sender, intentId: string = randomUUID(), nowMs = Date.now()): Intent {
  return { ...placeEnvelope(terms, sender, intentId, nowMs), kind: 'TARGET_POSITION', order: null, targetQuantity: terms.targetQuantity, algo: null };
}

/** What a MODIFY of an order may change: the amount (of the same type) and the limit price. */
export type OrderChange = Partial<Pick<IntentOrder, 'amount' | 'limitPrice'>>;

/** What a MODIFY of a target changes: the position to hold. */
export interface TargetChange {
  targetQuantity: string;
}

/**
 * A MODIFY (`change`) or a CANCEL (null) of an intent placed before: a message of its own, with a
 * fresh event id. An order takes an OrderChange and a target a TargetChange; the other is refused
 * here rather than sent, since the execution side would only dead-letter it.
 */
export function changeIntent(placed: Intent, change: OrderChange | TargetChange | null, nowMs = Date.now()): Intent {
  const message = { ...placed, eventId: randomUUID(), createdAtMs: nowMs };
  if (change === null) return { ...message, action: 'CANCEL', order: null };
  const target = placed.kind === 'TARGET_POSITION';
  if (target !== ('targetQuantity' in change)) {
    throw new Error(`intent ${placed.intentId} is ${target ? 'a TARGET_POSITION: change its targetQuantity' : 'an order: change its amount or limitPrice, not a targetQuantity'}`);
  }
  if ('targetQuantity' in change) return { ...message, action: 'MODIFY', targetQuantity: change.targetQuantity };
  return { ...message, action: 'MODIFY', order: placed.order && { ...placed.order, ...change } };
}

/**
 * What differs between venues in the ccxt calls the connector makes, as data (one row per ccxt
 * id, in ../venues/<venue>/), not as subclasses. The connector reads the row to address orders by
 * our client order id and to refuse, with the reason, what the venue does not do; the table in
 * README.md is these rows.
 */
export interface VenueCapabilities {
  /** The ccxt id the row is for, and what it covers ("spot", "spot and swap", ...). */
  ccxtId: string;
  markets: string;
  /** How our client order id (32 lowercase hex digits, schemas `clientOrderId`) is written for the venue. */
  clientOrderIds: ClientOrderIdFormat;
  /** How an order is addressed by its client order id in lookups and cancels. */
  byClientOrderId: ClientOrderIdAddressing;
  /**
   * How an order is changed: `native` keeps it on the venue (same order, the venue's amend call,
   * addressed with `params`); `cancel-replace` where the venue has no such call: an AMEND is refused
   * with `reason`, and the execution side cancels the leg and places a new one (a new client order
   * id: one venue order per client order id, which lookups and reconciliation rely on).
   */
  amend: { kind: 'native'; params(venueClientOrderId: string): Params } | { kind: 'cancel-replace'; reason: string };
  /** Post-only limit orders (Binance LIMIT_MAKER, OKX post_only, Hyperliquid ALO, ...). */
  postOnly: boolean;
  /** Reduce-only on the row's derivatives (no venue has it on spot). */
  reduceOnly: boolean;
  /** The time in force values of limit orders the venue accepts (GTC is every venue's default). */
  timeInForce: readonly ('GTC' | 'IOC' | 'FOK')[];
  /** Whether the venue has stop (trigger) orders: the table's fact; the ccxt connector sends none either way (orderParams). */
  stopOrders: boolean;
  /**
   * Where the fee of one of our fills comes from: `fill`, the user stream's fill payload
   * (ccxt watchMyTrades); `trade-history`, the venue's REST trade history, polled, because its
   * stream carries no per-fill fee. The schedule (ccxt's base tier) is only the symbol metadata's.
   */
  fees: 'fill' | 'trade-history';
  /** The venue's published request limits; ccxt's throttle (`enableRateLimit`) keeps to them. */
  rateLimits: string;
  /** Where the venue writes its own order status in the raw payload ccxt keeps in `info`. */
  rawStatusKeys: readonly string[];
  /** Where the venue writes the client order id of a trade in `info` (Binance myTrades has none). */
  tradeClientOrderIdKeys: readonly string[];
  /**
   * Where the venue writes a fill's own fee in `info`, and the sign it gives a charged fee, when
   * ccxt's `fee.cost` cannot be trusted for it: the fee is then read from there (the first key
   * present), a charge positive and a rebate negative as in our fills. Absent: ccxt's `fee.cost`.
   */
  rawFee?: { keys: readonly string[]; charged: 'negative' | 'positive' };
  /**
   * The params ccxt's fetchPositions needs for the venue to report each position's leverage and
   * margin mode, where its default call does not. Absent: the default call.
   */
  positionParams?: Params;
}

export type Params = Record<string, string | boolean>;

export interface ClientOrderIdFormat {
  /** The venue's rule, as its documentation states it. */
  rule: string;
  /** What the venue accepts; an id that does not match after `toVenue` is refused before sending. */
  pattern: RegExp;
  /** Our id as sent to the venue, and back: the venue's form of an id read from a payload, as ours. */
  toVenue(clientOrderId: string): string;
  fromVenue(venueClientOrderId: string): string;
}

/**
 * `fetch-order`: fetchOrder and cancelOrder take `params`; `order-lists`: cancelOrder takes them,
 * and a lookup reads the open, then the closed orders filtered by them (the venue's order query
 * takes only its own ids); `none`: the venue knows orders by its own id only, so a cancel needs
 * the venue order id and an UNKNOWN order is resolved only by the user stream or the open orders.
 */
export type ClientOrderIdAddressing =
  | { lookup: 'fetch-order' | 'order-lists'; params(venueClientOrderId: string): Params }
  | { lookup: 'none'; reason: string };

/** Our ids as they are: for venues whose client ids take 32 lowercase hex digits unchanged. */
export const unchangedIds = { toVenue: (id: string) => id, fromVenue: (id: string) => id };

/** The client order id of a venue payload (an order or a trade) as ours, or null when it has none. */
export function ourClientOrderId(capabilities: VenueCapabilities, venueClientOrderId: unknown): string | null {
  return typeof venueClientOrderId === 'string' && venueClientOrderId !== '' ? capabilities.clientOrderIds.fromVenue(venueClientOrderId) : null;
}

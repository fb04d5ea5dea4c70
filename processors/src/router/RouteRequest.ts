import type { AmountType, Decimal, Market, Side, TimeInForce, VenueState } from '@crossvenue/schemas';

/** What the router is asked to do: the standard order of one intent, parsed. */
export interface RouteRequest {
  intentId: string;
  portfolio: string;
  instrument: string;
  side: Side;
  /** In the base asset (BASE) or the quote currency to spend or receive (QUOTE). */
  amount: Decimal;
  amountType: AmountType;
  /** Null for a market order; each leg still gets the worst price it may reach as its limit. */
  limitPrice: Decimal | null;
  timeInForce: TimeInForce;
  postOnly: boolean;
}

export interface BookLevel {
  price: Decimal;
  quantity: Decimal;
}

/** The venue rules the router applies; quantities are in the base asset (spot, and linear contracts of any size). */
export type VenueRules = Pick<Market, 'active' | 'quantityStep' | 'minQuantity' | 'maxQuantity' | 'priceTick' | 'minNotional'>;

/** How usable the venue is, from its latest VenueHealth message. */
export interface VenueCondition {
  state: VenueState;
  reason: string;
  latencyP50Ms: number | null;
  bookStalenessMs: number | null;
  /** Fractions from 0 to 1 over the connector's window. */
  errorRate: Decimal;
  rejectRate: Decimal;
}

/** One venue account that could trade the instrument. */
export interface VenueCandidate {
  venue: string;
  account: string;
  /**
   * The venue's book, best first: bids highest first, asks lowest first. The accounts of one venue
   * carry the same book and rules: the router shares that book among them (SharedBook).
   */
  bids: readonly BookLevel[];
  asks: readonly BookLevel[];
  rules: VenueRules;
  /** Fee rates as fractions of notional (0.001 = 0.1 %); negative is a rebate. */
  takerFee: Decimal;
  makerFee: Decimal;
  /** What the account can spend: the quote balance for a buy, the base balance for a sell; null is unlimited. */
  available: Decimal | null;
  condition: VenueCondition;
  /** Why this intent may not use the venue although it is up (a cancel-all there, a failed leg); it gets no order. */
  excludedBecause?: string;
}

import { Decimal, FINAL_INTENT_STATES, fillIdentity, formatDecimal, type ArbitrageLeg, type ArbitrageLegRole, type Fill, type IntentStatus, type Side } from '@crossvenue/schemas';

/** How long after its intent's end a leg waits for fills the end counts but that have not come (fills and status are different topics). */
export const FILL_WAIT_MS = 5_000;

/** One order a group sends: an IOC taker leg, or the maker's resting post-only order. */
export interface LegOrder {
  role: ArbitrageLegRole;
  venue: string;
  side: Side;
  quantity: Decimal;
  limitPrice: Decimal;
  timeInForce: 'IOC' | 'GTC';
  postOnly: boolean;
}

/** What one leg got: fills are the truth (exact prices and fees), the intent's status says when it ended. */
interface Figures {
  quantity: Decimal;
  notional: Decimal;
  /** Fees in the quote currency: a fee in the base asset is valued at its fill's price. */
  fees: Decimal;
  /** Fees in any other currency (e.g. a venue token): kept apart, since no price for them reaches the group. */
  unvalued: Map<string, Decimal>;
}

/**
 * One leg of an order group: its intent, its fills (each counted once by venue, account and
 * venue trade id) and its end. It has ended when its intent's status is terminal and the fills
 * that status counts have come; if they have not come FILL_WAIT_MS later, the status's own
 * cumulative figures stand in (and the outcome says so).
 */
export class GroupLeg {
  private readonly fills = new Map<string, Fill>();
  private terminal: { status: IntentStatus; atMs: number } | null = null;
  private fromStatus = false;

  constructor(
    readonly intentId: string,
    readonly order: LegOrder,
    /** What it trades on its venue. */
    readonly instrument: string,
    readonly sentAtMs: number,
    private readonly assets: { base: string; quote: string },
  ) {}

  /** Counts a fill of this leg; false for one already counted. */
  addFill(fill: Fill): boolean {
    const identity = fillIdentity({ venue: fill.venue, account: fill.account, tradeId: fill.venueTradeId });
    if (this.fills.has(identity)) return false;
    this.fills.set(identity, fill);
    return true;
  }

  applyStatus(status: IntentStatus, nowMs: number): void {
    if (this.terminal === null && FINAL_INTENT_STATES.has(status.state)) this.terminal = { status, atMs: nowMs };
  }

  /** Falls back on the terminal status's figures once its fills are FILL_WAIT_MS overdue; true when it did. */
  settleOverdue(nowMs: number): boolean {
    if (this.ended || this.terminal === null || nowMs - this.terminal.atMs < FILL_WAIT_MS) return false;
    this.fromStatus = true;
    return true;
  }

  get ended(): boolean {
    return this.terminal !== null && (this.fromStatus || this.fromFills().quantity.gte(this.terminal.status.filledQuantity));
  }

  get filled(): Decimal {
    return this.figures().quantity;
  }

  get notional(): Decimal {
    return this.figures().notional;
  }

  get fees(): Decimal {
    return this.figures().fees;
  }

  /** Base bought (positive) or sold (negative). */
  get signedFilled(): Decimal {
    return this.order.side === 'BUY' ? this.filled : this.filled.negated();
  }

  get averagePrice(): Decimal | null {
    const { quantity, notional } = this.figures();
    return quantity.isZero() ? null : notional.dividedBy(quantity);
  }

  toRecord(): ArbitrageLeg {
    const average = this.averagePrice;
    return {
      role: this.order.role,
      venue: this.order.venue,
      instrument: this.instrument,
      side: this.order.side,
      intentId: this.intentId,
      requestedQuantity: formatDecimal(this.order.quantity),
      limitPrice: formatDecimal(this.order.limitPrice),
      filledQuantity: formatDecimal(this.filled),
      averagePrice: average === null ? null : formatDecimal(average.toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN)),
      fees: formatDecimal(this.fees),
      sentAtMs: this.sentAtMs,
      doneAtMs: this.ended ? this.terminal!.atMs : null,
      outcome: this.outcome(),
    };
  }

  private outcome(): string {
    if (!this.ended) return 'working';
    const { status } = this.terminal!;
    const filled = formatDecimal(this.filled);
    const unvalued = [...this.figures().unvalued].map(([currency, amount]) => `${formatDecimal(amount)} ${currency}`);
    const notes = [
      ...(unvalued.length > 0 ? [`fees also ${unvalued.join(', ')}, not valued in ${this.assets.quote}`] : []),
      ...(this.fromStatus ? [`figures from the intent status, its fills did not arrive within ${FILL_WAIT_MS} ms`] : []),
    ];
    const how =
      status.state === 'REJECTED'
        ? `refused: ${[status.rule, status.reason].filter(Boolean).join(': ') || 'no reason given'}`
        : this.filled.gte(this.order.quantity)
          ? 'filled'
          : `${status.state.toLowerCase()} with ${filled} of ${formatDecimal(this.order.quantity)}`;
    return [how, ...notes].join('; ');
  }

  private figures(): Figures {
    return this.fromStatus ? this.statusFigures(this.terminal!.status) : this.fromFills();
  }

  private fromFills(): Figures {
    const figures: Figures = { quantity: new Decimal(0), notional: new Decimal(0), fees: new Decimal(0), unvalued: new Map() };
    for (const fill of this.fills.values()) {
      const quantity = new Decimal(fill.quantity);
      figures.quantity = figures.quantity.plus(quantity);
      figures.notional = figures.notional.plus(quantity.times(fill.price));
      this.addFee(figures, fill.feeCurrency, new Decimal(fill.fee), new Decimal(fill.price));
    }
    return figures;
  }

  private statusFigures(status: IntentStatus): Figures {
    const quantity = new Decimal(status.filledQuantity);
    const price = new Decimal(status.averagePrice ?? 0);
    const figures: Figures = { quantity, notional: quantity.times(price), fees: new Decimal(0), unvalued: new Map() };
    for (const { currency, amount } of status.fees) this.addFee(figures, currency, new Decimal(amount), price);
    return figures;
  }

  private addFee(figures: Figures, currency: string, amount: Decimal, price: Decimal): void {
    if (currency === this.assets.quote) figures.fees = figures.fees.plus(amount);
    else if (currency === this.assets.base) figures.fees = figures.fees.plus(amount.times(price));
    else figures.unvalued.set(currency, (figures.unvalued.get(currency) ?? new Decimal(0)).plus(amount));
  }
}

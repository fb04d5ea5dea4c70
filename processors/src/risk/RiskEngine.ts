import {
  Decimal,
  formatNullableDecimal,
  parseSymbol,
  type ControlCommand,
  type Fill,
  type OrderCommand,
  type OrderEvent,
  type RiskDecision,
  ConversionGraph,
} from '@crossvenue/schemas';
import { positionFillOf } from '../positions/PositionFill.ts';
import { PositionLedger, type AddOutcome } from '../positions/PositionLedger.ts';
import type { PositionState } from '../positions/PositionState.ts';
import { inScope, KillSwitches } from './KillSwitches.ts';
import { OpenOrders } from './OpenOrders.ts';
import type { RiskLimits } from './RiskLimits.ts';
import { SCOPED_RULES, scopePnl, type Breach, type OrderUnderCheck, type Scope, type Pricing } from './scopedRules.ts';
import { SlidingWindowCounter } from './SlidingWindowCounter.ts';

/** A scope's PnL against its drawdown stop (the floor, negative), in the limits' currency. */
export interface Drawdown {
  scope: string;
  pnl: Decimal;
  floor: Decimal;
  currency: string;
  below: boolean;
}

/**
 * Fills kept whole per position (PositionLedger's window: 1,000 to 2,000): risk needs the quantity,
 * entry and last price, not the fill history, and keeping every fill ever read made the state (and
 * each snapshot of it) grow without end. A fill of one position later than 1,000 newer ones of it
 * is far beyond the reorders venues and the fault injection produce (a few messages); it still
 * counts once, on top. Measured (captureState of one ledger): 2,000 fills held whole cost about
 * 16 kB and 9 ms of a snapshot, 20,000 about 200 kB and 110 ms; so 1,000 keeps a position's share
 * small while leaving a reorder window of seconds at a busy venue's fill rate.
 */
const RISK_FILL_WINDOW = 1_000;

/**
 * Pre-trade risk for the portfolios one instance owns. It reads only state it folds itself, in the
 * order of its input stream (fills, order events and control commands from the portfolio's
 * partition; marks from the books as they move): never a snapshot, a cache or ClickHouse
 * (DESIGN.md invariant 3). Pure: no I/O, time from the injected clock.
 *
 * Rules run in a fixed order and the first failure decides: kill switch, reduce-only, then for the
 * account and then the portfolio: order size, price band, order notional, position per instrument,
 * per underlying, gross and net exposure, drawdown; then the order rates. A CANCEL always passes.
 */
export class RiskEngine {
  private readonly positions = new PositionLedger({ window: RISK_FILL_WINDOW });
  private readonly openOrders = new OpenOrders();
  private readonly killSwitches = new KillSwitches();
  private readonly marks = new Map<string, Decimal>();
  private readonly conversions = new ConversionGraph();
  private readonly rates: SlidingWindowCounter;

  constructor(
    private readonly limits: RiskLimits,
    private readonly clock: () => number,
  ) {
    this.rates = new SlidingWindowCounter(limits.rateWindowMs);
  }

  /** Counts a fill in its position once; the caller logs one that came later than the ledger's window (`beforeWindow`). */
  applyFill(fill: Fill): AddOutcome {
    return this.positions.add(positionFillOf(fill));
  }

  applyOrderEvent(event: OrderEvent): void {
    this.openOrders.applyEvent(event);
  }

  /**
   * The mark (a book mid) of an instrument: prices market orders, the price band, exposure and PnL.
   * False when it was the mark already (a book re-published unchanged), so nothing moved.
   */
  setMark(instrument: string, price: Decimal): boolean {
    if (this.marks.get(instrument)?.eq(price)) return false;
    this.marks.set(instrument, price);
    this.conversions.setPrice(instrument, price);
    return true;
  }

  /**
   * Each scope with a drawdown stop and its PnL at the current marks (scopes whose PnL cannot be
   * valued are left out): each account with a stop, and each portfolio holding positions when the
   * portfolio limits have one. A market move alone can take a scope below its stop, so the
   * execution worker asks after every mark.
   */
  drawdowns(): Drawdown[] {
    if (!this.limits.portfolio.maxDrawdown && ![...this.limits.accounts.values()].some((limits) => limits.maxDrawdown)) return [];
    const positions = this.positions.positions();
    const valuation = this.valuation(null);
    const scopes: Array<{ scope: string; maxDrawdown: Decimal | undefined; positions: PositionState[] }> = [
      ...[...new Set(positions.map((p) => p.portfolio))].map((portfolio) => ({
        scope: `portfolio ${portfolio}`,
        maxDrawdown: this.limits.portfolio.maxDrawdown,
        positions: positions.filter((p) => p.portfolio === portfolio),
      })),
      ...[...this.limits.accounts].map(([account, limits]) => ({
        scope: `account ${account}`,
        maxDrawdown: limits.maxDrawdown,
        positions: positions.filter((p) => `${p.venue}|${p.account}` === account),
      })),
    ];
    return scopes.flatMap(({ scope, maxDrawdown, positions: held }) => {
      if (!maxDrawdown) return [];
      const pnl = scopePnl(held, valuation);
      const floor = maxDrawdown.negated();
      return pnl === null ? [] : [{ scope, pnl, floor, currency: this.limits.currency, below: pnl.lt(floor) }];
    });
  }

  /** Applies a kill switch; on an engage with cancelOpenOrders, returns a CANCEL for every open order in scope. */
  applyControl(control: ControlCommand): OrderCommand[] {
    if (!this.killSwitches.apply(control) || !control.engaged || !control.cancelOpenOrders) return [];
    return this.openOrders
      .list()
      .filter(({ command }) => inScope(control, command))
      .map(({ command }) => {
        const id = `cancel:${command.clientOrderId}:${control.eventId}`;
        return { ...command, type: 'CANCEL' as const, eventId: id, commandId: id, newQuantity: null, newLimitPrice: null, createdAtMs: this.clock() };
      });
  }

  /** The positions held on one venue, as the fills read so far make them (what a flatten closes). */
  positionsOn(venue: string): PositionState[] {
    return this.positions.positions().filter((position) => position.venue === venue);
  }

  /**
   * The portfolio's net position in an instrument, signed, in one account or all (null), on the
   * venues given or all (empty): what a target position is measured against.
   */
  netPosition(portfolio: string, instrument: string, account: string | null, venues: readonly string[]): Decimal {
    let net = new Decimal(0);
    for (const position of this.positions.positions()) {
      if (position.portfolio !== portfolio || position.instrument !== instrument) continue;
      if ((account !== null && position.account !== account) || (venues.length > 0 && !venues.includes(position.venue))) continue;
      net = net.plus(position.quantity);
    }
    return net;
  }

  /**
   * The verdict on one command; an approved PLACE or AMEND counts in open exposure from now on, and
   * in the order rates at `askedAtMs`: when the order was asked for (its route decision), not when a
   * worker catching up on a backlog got to it, which would turn a steady flow into a burst.
   */
  check(command: OrderCommand, askedAtMs = this.clock()): RiskDecision {
    const at = Math.min(askedAtMs, this.clock());
    const breach = command.type === 'CANCEL' ? null : this.firstBreach(command, at);
    if (!breach) this.record(command, at);
    return {
      eventId: `risk:${command.commandId}`,
      intentId: command.intentId,
      commandId: command.commandId,
      portfolio: command.portfolio,
      account: command.account,
      venue: command.venue,
      instrument: command.instrument,
      decision: breach ? 'REJECTED' : 'APPROVED',
      rule: breach?.rule ?? 'all',
      limit: formatNullableDecimal(breach?.limit ?? null),
      value: formatNullableDecimal(breach?.value ?? null),
      message: breach?.message ?? `${command.type} ${command.clientOrderId}: every rule passed`,
      decidedAtMs: this.clock(),
    };
  }

  private firstBreach(command: OrderCommand, at: number): Breach | null {
    const kill = this.killSwitches.blocking(command);
    if (kill) return { rule: 'kill_switch', limit: null, value: null, message: `${kill.scope} kill switch engaged by ${kill.issuedBy}: ${kill.reason}` };
    const order = this.orderUnderCheck(command);
    if ('rule' in order) return order;
    const reduceOnly = this.reduceOnly(order);
    if (reduceOnly) return reduceOnly;
    const valuation = this.valuation(order);
    for (const scope of this.scopes(command)) {
      for (const rule of SCOPED_RULES) {
        const found = rule(order, scope, valuation);
        if (found) return found;
      }
    }
    return this.orderRate(command, at);
  }

  private orderUnderCheck(command: OrderCommand): OrderUnderCheck | Breach {
    const limitPrice = command.limitPrice === null ? null : new Decimal(command.limitPrice);
    const quantity = new Decimal(command.quantity);
    if (command.type === 'PLACE') return { command, quantity, limitPrice, delta: { instrument: command.instrument, side: command.side, quantity } };
    const open = this.openOrders.get(command.clientOrderId);
    if (!open) return { rule: 'unknown_order', limit: null, value: null, message: `AMEND of ${command.clientOrderId}, which is not an open order` };
    const total = command.newQuantity === null ? new Decimal(open.command.quantity) : new Decimal(command.newQuantity);
    const filled = new Decimal(open.command.quantity).minus(open.remaining);
    const remaining = Decimal.max(total.minus(filled), 0);
    return {
      command: open.command,
      quantity: total,
      limitPrice: command.newLimitPrice === null ? open.limitPrice : new Decimal(command.newLimitPrice),
      delta: { instrument: open.command.instrument, side: open.command.side, quantity: remaining.minus(open.remaining) },
    };
  }

  /** A reduce-only order must shrink the account's position: opposite side, and with the other reduce-only orders, no larger than it. */
  private reduceOnly(order: OrderUnderCheck): Breach | null {
    const { command } = order;
    if (!command.reduceOnly) return null;
    const position = this.positions.position(`${command.portfolio}|${command.account}|${command.venue}|${command.instrument}`)?.quantity ?? new Decimal(0);
    const reduces = command.side === 'SELL' ? position.isPositive() : position.isNegative();
    const pending = this.openOrders
      .list()
      .filter(({ command: other }) => other.reduceOnly && other.clientOrderId !== command.clientOrderId && other.venue === command.venue && other.account === command.account && other.instrument === command.instrument && other.side === command.side)
      .reduce((total, { remaining }) => total.plus(remaining), new Decimal(0));
    const remaining = order.delta.quantity.plus(this.openOrders.get(command.clientOrderId)?.remaining ?? 0);
    const value = pending.plus(remaining);
    const limit = reduces ? position.abs() : new Decimal(0);
    if (value.gt(limit)) {
      return { rule: 'reduce_only', limit, value, message: `reduce-only ${command.side} ${value.toFixed()} with open reduce-only orders would not reduce the position ${position.toFixed()} of ${command.instrument}` };
    }
    return null;
  }

  private scopes(command: OrderCommand): Scope[] {
    const portfolio = this.positions.positions().filter((p) => p.portfolio === command.portfolio);
    const orders = this.openOrders.list().filter((o) => o.command.portfolio === command.portfolio);
    const mine = (x: { venue: string; account: string }) => x.venue === command.venue && x.account === command.account;
    const account = `${command.venue}|${command.account}`;
    return [
      { name: 'account', label: `account ${account}`, limits: this.limits.accounts.get(account) ?? {}, positions: portfolio.filter(mine), orders: orders.filter((o) => mine(o.command)) },
      { name: 'portfolio', label: `portfolio ${command.portfolio}`, limits: this.limits.portfolio, positions: portfolio, orders },
    ];
  }

  /** Marks first; an instrument without a mark is valued at its last fill, the order's own instrument at its limit price. */
  /** Prices in the limits' currency; `order` prices its own instrument when nothing else can. */
  private valuation(order: OrderUnderCheck | null): Pricing {
    const { currency } = this.limits;
    const lastFill = (instrument: string) => this.positions.positions().find((p) => p.instrument === instrument && p.lastFill)?.lastFill?.price ?? null;
    const convert = (amount: Decimal, from: string) => this.conversions.convert(amount, from, currency);
    return {
      currency,
      convert,
      mark: (instrument) => this.marks.get(instrument) ?? null,
      unitValue: (instrument) => {
        const price = this.marks.get(instrument) ?? lastFill(instrument) ?? (instrument === order?.command.instrument ? order.limitPrice : null);
        return price && convert(price, parseSymbol(instrument).quote);
      },
    };
  }

  private orderRate(command: OrderCommand, now: number): Breach | null {
    const checks: Array<[string, string, number | undefined]> = [
      ['account.order_rate', `account ${command.venue}|${command.account}`, this.limits.accounts.get(`${command.venue}|${command.account}`)?.maxOrdersPerWindow],
      ['portfolio.order_rate', `portfolio ${command.portfolio}`, this.limits.portfolio.maxOrdersPerWindow],
      ['venue.order_rate', `venue ${command.venue}`, this.limits.maxOrdersPerVenuePerWindow],
    ];
    for (const [rule, key, max] of checks) {
      if (max === undefined) continue;
      const value = this.rates.count(key, now) + 1;
      if (value > max) {
        return { rule, limit: new Decimal(max), value: new Decimal(value), message: `${key}: ${value} orders within ${this.limits.rateWindowMs} ms, above ${max}` };
      }
    }
    return null;
  }

  /**
   * Counts a command an earlier run approved and sent (read back after a restart) as it counted
   * then: in open exposure, and in the order rates at the time it was made, so that catching up
   * does not fill the rate window with old orders.
   */
  adopt(command: OrderCommand): void {
    this.record(command, command.createdAtMs);
  }

  private record(command: OrderCommand, at = this.clock()): void {
    if (command.type === 'CANCEL') return;
    if (command.type === 'PLACE') this.openOrders.placed(command);
    else this.openOrders.amended(command);
    for (const key of [`account ${command.venue}|${command.account}`, `portfolio ${command.portfolio}`, `venue ${command.venue}`]) this.rates.record(key, at);
  }
}

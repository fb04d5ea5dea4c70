import { Decimal, parseSymbol, type Side } from '@crossvenue/schemas';
import type { PositionState } from '../positions/PositionState.ts';
import type { OpenOrder } from './OpenOrders.ts';

/** Where an instrument could end up if every open order (and the order being checked) filled. */
interface Bounds {
  instrument: string;
  long: Decimal;
  short: Decimal;
}

export interface OrderDelta {
  instrument: string;
  side: Side;
  /** May be negative: an amend that shrinks an order. */
  quantity: Decimal;
}

/**
 * The worst case of a set of positions and open orders: per instrument, the position if every
 * open buy filled (long bound) and if every open sell filled (short bound). Limits compare the
 * larger of the two in absolute value, so exposure is counted before it fills.
 */
export class ExposureBook {
  private readonly bounds = new Map<string, Bounds>();

  constructor(positions: Iterable<PositionState>, orders: Iterable<OpenOrder>, delta?: OrderDelta) {
    for (const position of positions) this.add(position.instrument, position.quantity, position.quantity);
    for (const { command, remaining } of orders) this.addOrder(command.instrument, command.side, remaining);
    if (delta) this.addOrder(delta.instrument, delta.side, delta.quantity);
  }

  instrument(instrument: string): Decimal {
    const bounds = this.bounds.get(instrument);
    return bounds ? worst(bounds.long, bounds.short) : new Decimal(0);
  }

  underlying(base: string): Decimal {
    const matching = [...this.bounds.values()].filter((b) => parseSymbol(b.instrument).base === base);
    return worst(sum(matching.map((b) => b.long)), sum(matching.map((b) => b.short)));
  }

  /** Sum of each instrument's worst absolute position times its price; null when one has no price. */
  gross(price: (instrument: string) => Decimal | null): Decimal | null {
    const values = [...this.bounds.values()].map((b) => price(b.instrument)?.times(worst(b.long, b.short)) ?? null);
    return values.includes(null) ? null : sum(values as Decimal[]);
  }

  /** The larger absolute value of the all-longs-fill and the all-shorts-fill portfolio; null without prices. */
  net(price: (instrument: string) => Decimal | null): Decimal | null {
    const legs = [...this.bounds.values()].map((b) => ({ b, p: price(b.instrument) }));
    if (legs.some(({ p }) => p === null)) return null;
    return worst(sum(legs.map(({ b, p }) => b.long.times(p!))), sum(legs.map(({ b, p }) => b.short.times(p!))));
  }

  private addOrder(instrument: string, side: Side, quantity: Decimal): void {
    if (side === 'BUY') this.add(instrument, quantity, new Decimal(0));
    else this.add(instrument, new Decimal(0), quantity.negated());
  }

  private add(instrument: string, long: Decimal, short: Decimal): void {
    const bounds = this.bounds.get(instrument) ?? { instrument, long: new Decimal(0), short: new Decimal(0) };
    this.bounds.set(instrument, { instrument, long: bounds.long.plus(long), short: bounds.short.plus(short) });
  }
}

function worst(long: Decimal, short: Decimal): Decimal {
  return Decimal.max(long.abs(), short.abs());
}

function sum(values: Decimal[]): Decimal {
  return values.reduce((total, value) => total.plus(value), new Decimal(0));
}

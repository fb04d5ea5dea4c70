import { Decimal, type Side } from '@crossvenue/schemas';

/** What a worker's own fills moved each venue's base holding by: bought positive, sold negative. */
export class VenueHoldings {
  private readonly byVenue = new Map<string, Decimal>();

  at(venue: string): Decimal {
    return this.byVenue.get(venue) ?? new Decimal(0);
  }

  add(venue: string, side: Side, quantity: Decimal | string): void {
    const signed = new Decimal(quantity);
    this.byVenue.set(venue, this.at(venue).plus(side === 'BUY' ? signed : signed.negated()));
  }

  /** Whether any venue's holding has moved (and not come back). */
  anyOpen(): boolean {
    return [...this.byVenue.values()].some((quantity) => !quantity.isZero());
  }
}

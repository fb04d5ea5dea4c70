import { Decimal } from './decimal.ts';
import { parseSymbol } from './symbols.ts';

interface Edge {
  to: string;
  price: Decimal;
  /** True for QUOTE -> BASE: divide by the price instead of multiplying (exact where 1/price is not). */
  inverse: boolean;
}

/**
 * Converts amounts between currencies through known instrument prices. A price of BASE/QUOTE is
 * two edges, BASE -> QUOTE (x price) and QUOTE -> BASE (/ price); a conversion follows the path
 * with the fewest hops (breadth first), so USDT -> USD works through USDT/USD or USD/USDT alike,
 * and BNB -> USD through BNB/USDT then USDT/USD. When no path exists `convert` returns null: the
 * caller shows the amount unvalued in its own currency rather than guessing a rate.
 */
export class ConversionGraph {
  private readonly edges = new Map<string, Map<string, Edge>>();

  /** Records the latest price of an instrument (a mid, a last trade); derivatives count as their base/quote. */
  setPrice(instrument: string, price: Decimal): void {
    const { base, quote } = parseSymbol(instrument);
    if (price.lte(0) || base === quote) return;
    this.edge(base, { to: quote, price, inverse: false });
    this.edge(quote, { to: base, price, inverse: true });
  }

  convert(amount: Decimal, from: string, to: string): Decimal | null {
    const path = this.path(from, to);
    if (path === null) return null;
    return path.reduce((value, edge) => (edge.inverse ? value.dividedBy(edge.price) : value.times(edge.price)), amount);
  }

  rate(from: string, to: string): Decimal | null {
    return this.convert(new Decimal(1), from, to);
  }

  /** The edges of a shortest path, breadth first; empty for the same currency, null when not connected. */
  private path(from: string, to: string): Edge[] | null {
    const via = new Map<string, Edge[]>([[from, []]]);
    let frontier = [from];
    while (frontier.length > 0 && !via.has(to)) {
      const next: string[] = [];
      for (const currency of frontier) {
        for (const edge of this.edges.get(currency)?.values() ?? []) {
          if (via.has(edge.to)) continue;
          via.set(edge.to, [...via.get(currency)!, edge]);
          next.push(edge.to);
        }
      }
      frontier = next;
    }
    return via.get(to) ?? null;
  }

  private edge(from: string, edge: Edge): void {
    let out = this.edges.get(from);
    if (!out) this.edges.set(from, (out = new Map()));
    out.set(edge.to, edge);
  }
}

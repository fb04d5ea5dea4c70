import { Decimal, formatDecimal, parseSymbol, type ConversionGraph, type Position } from '@crossvenue/schemas';
import type { LiveState } from '../LiveState.ts';
import { valuationGraph, VALUATION_CURRENCY } from './accountReport.ts';

/** One sample of a portfolio's PnL, in the valuation currency (decimal strings, 8 places). */
export interface PnlPoint {
  atMs: number;
  /** realized + unrealized + funding − fees. */
  pnl: string;
  realized: string;
  unrealized: string;
  /** Funding received (positive) or paid on perpetuals. */
  funding: string;
  fees: string;
  /** The same `pnl`, per underlying (base asset). */
  byUnderlying: Record<string, string>;
}

export interface PnlHistoryOptions {
  /** At most one sample per portfolio this often. */
  intervalMs: number;
  /** Samples kept per portfolio, the oldest dropped first. */
  capacity: number;
}

/** One sample a second for 15 minutes: what a chart of the last minutes needs, in bounded memory. */
const DEFAULTS: PnlHistoryOptions = { intervalMs: 1_000, capacity: 900 };

/**
 * A short in-memory time series of each portfolio's PnL, for the dashboard's chart. It samples the
 * positions the gateway already holds, marked at the books' mids (as the account report values
 * them), whenever a position or a book changes, at most once per `intervalMs`. A reporting view:
 * it starts empty when the gateway starts and nothing reads it but the chart.
 */
export class PnlHistory {
  private readonly series = new Map<string, PnlPoint[]>();
  private lastSampleMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly state: LiveState,
    private readonly now: () => number,
    readonly options: PnlHistoryOptions = DEFAULTS,
  ) {
    state.onChange((change) => {
      if (change.type === 'position' || change.type === 'book') this.sample();
    });
  }

  /** Records a point per portfolio with positions, unless the last sample is younger than the interval. */
  sample(): void {
    const atMs = this.now();
    if (atMs - this.lastSampleMs < this.options.intervalMs || this.state.positions.size === 0) return;
    this.lastSampleMs = atMs;
    const graph = valuationGraph(this.state.books.values());
    const portfolios = new Map<string, Position[]>();
    for (const position of this.state.positions.values()) portfolios.set(position.portfolio, [...(portfolios.get(position.portfolio) ?? []), position]);
    for (const [portfolio, positions] of portfolios) {
      const point = pnlPoint(positions, graph, atMs);
      if (!point) continue;
      const points = this.series.get(portfolio) ?? [];
      points.push(point);
      if (points.length > this.options.capacity) points.shift();
      this.series.set(portfolio, points);
    }
  }

  /** The series of every portfolio, or of one, oldest point first. */
  report(portfolio?: string) {
    const portfolios = [...this.series].filter(([name]) => !portfolio || name === portfolio).map(([name, points]) => ({ portfolio: name, points }));
    return { valuationCurrency: VALUATION_CURRENCY, intervalMs: this.options.intervalMs, portfolios: portfolios.sort((a, b) => a.portfolio.localeCompare(b.portfolio)) };
  }
}

/**
 * A portfolio's PnL now: each position's realized PnL, its unrealized PnL at the mid of its
 * instrument (quantity × (mark − entry)), its funding and its fees, all valued in USDT. Null when an open
 * position has no mark or an amount has no path to USDT: no point beats a guessed one.
 */
export function pnlPoint(positions: readonly Position[], graph: ConversionGraph, atMs: number): PnlPoint | null {
  const totals = { realized: new Decimal(0), unrealized: new Decimal(0), funding: new Decimal(0), fees: new Decimal(0) };
  const byUnderlying = new Map<string, Decimal>();
  for (const position of positions) {
    const { base, quote } = parseSymbol(position.instrument);
    const quantity = new Decimal(position.quantity);
    const mark = graph.rate(base, quote);
    if (position.averageEntryPrice !== null && !quantity.isZero() && mark === null) return null;
    const unrealizedInQuote = position.averageEntryPrice === null || mark === null ? new Decimal(0) : quantity.times(mark.minus(position.averageEntryPrice));
    const realized = graph.convert(new Decimal(position.realizedPnl), quote, VALUATION_CURRENCY);
    const unrealized = graph.convert(unrealizedInQuote, quote, VALUATION_CURRENCY);
    const funding = graph.convert(new Decimal(position.funding), quote, VALUATION_CURRENCY);
    const fees = position.fees.map(({ currency, amount }) => graph.convert(new Decimal(amount), currency, VALUATION_CURRENCY));
    if (realized === null || unrealized === null || funding === null || fees.some((fee) => fee === null)) return null;
    const fee = fees.reduce<Decimal>((sum, value) => sum.plus(value!), new Decimal(0));
    totals.realized = totals.realized.plus(realized);
    totals.unrealized = totals.unrealized.plus(unrealized);
    totals.funding = totals.funding.plus(funding);
    totals.fees = totals.fees.plus(fee);
    byUnderlying.set(base, (byUnderlying.get(base) ?? new Decimal(0)).plus(realized).plus(unrealized).plus(funding).minus(fee));
  }
  const format = (value: Decimal) => formatDecimal(value.toDecimalPlaces(8));
  return {
    atMs,
    pnl: format(totals.realized.plus(totals.unrealized).plus(totals.funding).minus(totals.fees)),
    realized: format(totals.realized),
    unrealized: format(totals.unrealized),
    funding: format(totals.funding),
    fees: format(totals.fees),
    byUnderlying: Object.fromEntries([...byUnderlying].sort(([a], [b]) => a.localeCompare(b)).map(([underlying, pnl]) => [underlying, format(pnl)])),
  };
}

import { Decimal } from '@crossvenue/schemas';
import { DEFAULT_COST_CONFIG } from './costModel.ts';
import { prepareVenue } from './PreparedVenue.ts';
import { routePrepared } from './routeOrder.ts';
import type { BookLevel, VenueCandidate } from './RouteRequest.ts';
import { request, rules, venue } from './venueFixtures.ts';
import { planFigures } from './toRouteDecision.ts';

/**
 * A deterministic book: asks from 100 up by 0.005 per level; quantities 1-100 units, by default of
 * the 0.001 lot, as a venue's own book always is. A unit of 0.0005 puts levels off the lot, which
 * makes the router run its rounding steps (top-up and lot exchanges).
 */
function book(venueIndex: number, depth: number, unit: string): BookLevel[] {
  return Array.from({ length: depth }, (_, i) => ({
    price: new Decimal(100_000 + venueIndex * 3 + i * 5).div(1000),
    quantity: new Decimal(((venueIndex * 7 + i * 13) % 100) + 1).times(unit),
  }));
}

function candidates(venues: number, depth: number, unit: string): VenueCandidate[] {
  return Array.from({ length: venues }, (_, v) =>
    venue(`venue${v}`, { asks: book(v, depth, unit) }, { takerFee: new Decimal(v % 3).times('0.0003'), rules: rules({ quantityStep: '0.001' }) }),
  );
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Microseconds per call of `run`, after a warm-up, as p50 / p99. */
function measure(run: () => unknown, iterations: number): { p50: number; p99: number } {
  for (let i = 0; i < Math.min(200, iterations); i++) run();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
}

/**
 * Route decision time; printed, never asserted. Two order sizes per book shape: one that takes
 * about 1 % of the total depth (a few levels, the usual case) and one that takes about 10 %.
 */
function benchmark(): void {
  const rows: Record<string, string>[] = [];
  for (const [venues, depth, unit] of [
    [5, 50, '0.001'],
    [5, 50, '0.0005'],
    [20, 200, '0.001'],
  ] as const) {
    const all = candidates(venues, depth, unit);
    const prepared = all.map((candidate) => prepareVenue(candidate, 'BUY', DEFAULT_COST_CONFIG));
    const totalDepth = prepared.reduce((sum, p) => sum.plus(p.cumQuantity[depth]!), new Decimal(0));
    const shape = `${venues} venues x ${depth} levels${unit === '0.001' ? '' : ', off the lot'}`;
    const iterations = venues === 5 ? 5000 : 500;
    for (const share of ['0.01', '0.1']) {
      const order = request({ amount: totalDepth.times(share).toDecimalPlaces(3, Decimal.ROUND_DOWN) });
      const legs = String(routePrepared(order, prepared).legs.length);
      const size = `${Number(share) * 100} % of depth`;
      for (const [what, run] of [
        ['route (books prepared)', () => routePrepared(order, prepared)],
        ['route + decision figures', () => planFigures(routePrepared(order, prepared))],
      ] as const) {
        const { p50, p99 } = measure(run, iterations);
        rows.push({ shape, order: size, what, legs, 'p50 µs': p50.toFixed(1), 'p99 µs': p99.toFixed(1) });
      }
    }
    if (unit !== '0.001') continue;
    const { p50, p99 } = measure(() => prepareVenue(all[0]!, 'BUY', DEFAULT_COST_CONFIG), iterations);
    rows.push({ shape, order: '-', what: 'prepare one book (per update)', legs: '-', 'p50 µs': p50.toFixed(1), 'p99 µs': p99.toFixed(1) });
  }
  console.table(rows);
}

benchmark();

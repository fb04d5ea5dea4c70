import { Decimal, roundToStep, type Side } from '@crossvenue/schemas';
import { effectiveAt, levelOf, positionAfter, type PreparedVenue } from './PreparedVenue.ts';
import { windowsOf, type Stretch } from './SharedBook.ts';

const ZERO = new Decimal(0);

/** Lower cost wins for a buy; higher effective proceeds win for a sell. */
function better(side: Side, a: Decimal, b: Decimal): boolean {
  return side === 'BUY' ? a.lt(b) : a.gt(b);
}

/**
 * The cost-minimal split of `target` across the usable venues, each leg a multiple of its lot.
 * Accounts on one venue share its book: each takes only from its own window of it (windowsOf),
 * and the split treats each window as a venue of its own.
 *
 * Cost on one venue is the sum of effective prices of the units it takes, and its book is sorted,
 * so each venue's cost is convex in its quantity: the continuous optimum takes units from all
 * books in order of effective price (a merge of the books, step 1). Lots make it integer: every
 * leg is rounded down to its lot (step 2), what is left goes lot by lot to the venue whose next
 * lot costs least per unit (step 3), and single-lot exchanges between venues with the same lot are
 * made while one lowers the cost (step 4). For venues that share a lot size this is exactly
 * optimal: with convex separable costs, a split that no exchange improves is a global optimum
 * (checked against exhaustive search in allocate.optimality.test.ts). Across different lot sizes
 * step 3 is a greedy on cost per unit and can miss the optimum by less than one lot per venue.
 *
 * `byNotional` (a quote amount) spends `target` as price x quantity in step 1 and rounds every leg
 * down in step 2, so it never spends more than asked; it skips steps 3 and 4.
 *
 * Returns each account's stretch of its venue's book, in the order given (nothing for unusable ones).
 */
export function allocate(
  venues: readonly PreparedVenue[],
  usable: readonly boolean[],
  side: Side,
  limit: Decimal | null,
  target: Decimal,
  byNotional: boolean,
): Stretch[] {
  const windows = windowsOf(venues, usable, limit);
  const start = windows.map((window) => window.from);
  const depth = windows.map((window) => window.quantity);
  const continuous = mergeBooks(venues, start, depth, side, target, byNotional);
  const quantities = continuous.map((quantity, v) => {
    const lot = venues[v]!.candidate.rules.quantityStep;
    return lot === null ? quantity : roundToStep(quantity, lot, 'DOWN');
  });
  // When no leg had to be rounded, the continuous optimum is already on the lots.
  if (!byNotional && quantities.some((quantity, v) => !quantity.eq(continuous[v]!))) {
    topUp(venues, start, depth, side, target, quantities);
    exchangeLots(venues, start, depth, side, quantities);
  }
  return quantities.map((quantity, v) => ({ from: start[v]!, quantity }));
}

const CLOSE = 1e-12;

/** Whether level i of venue a has a better effective price than level j of venue b, exactly. */
function betterLevel(side: Side, a: PreparedVenue, i: number, b: PreparedVenue, j: number): boolean {
  const x = a.effectiveOrder[i]!;
  const y = b.effectiveOrder[j]!;
  if (Math.abs(x - y) > CLOSE * Math.abs(x)) return side === 'BUY' ? x < y : x > y;
  return better(side, a.effective[i]!, b.effective[j]!);
}

/**
 * Step 1: take whole levels from whichever book has the best next effective price until `target`
 * is reached; the last level taken is cut to fit. Levels are ordered by their double effective
 * price (exact decimals on near ties); quantities are summed as decimals. Each venue takes from
 * `start` (its window in a shared book, else the top) to at most `start + depth`.
 */
function mergeBooks(venues: readonly PreparedVenue[], start: readonly Decimal[], depth: readonly Decimal[], side: Side, target: Decimal, byNotional: boolean): Decimal[] {
  // For each venue: where it has got to in its book and at which level, the level it started in,
  // where its depth ends, the levels wholly within that end, and the level it stops before (after
  // the whole levels, and after the one its end cuts, if any).
  const at = [...start];
  const first = start.map((position, v) => (position.isZero() ? 0 : fullLevels(venues[v]!, position)));
  const level = [...first];
  const end = start.map((position, v) => positionAfter(position, depth[v]!));
  const whole = end.map((position, v) => (depth[v]!.isZero() ? 0 : fullLevels(venues[v]!, position)));
  const stop = end.map((position, v) => {
    if (depth[v]!.isZero()) return 0;
    return position.gt(venues[v]!.cumQuantity[whole[v]!]!) ? whole[v]! + 1 : whole[v]!;
  });
  let total = ZERO;
  for (;;) {
    let best = -1;
    for (let v = 0; v < venues.length; v++) {
      if (level[v]! >= stop[v]!) continue;
      if (best < 0 || betterLevel(side, venues[v]!, level[v]!, venues[best]!, level[best]!)) best = v;
    }
    if (best < 0) break;
    const venue = venues[best]!;
    const i = level[best]!;
    const next = i < whole[best]! ? venue.cumQuantity[i + 1]! : end[best]!;
    // Only the level a venue starts in and the one its depth ends in can be partial.
    const quantity = i > first[best]! && i < whole[best]! ? venue.levels[i]!.quantity : next.minus(at[best]!);
    const price = venue.levels[i]!.price;
    const after = total.plus(byNotional ? price.times(quantity) : quantity);
    if (after.gte(target)) {
      const over = after.minus(target);
      at[best] = next.minus(byNotional ? over.div(price) : over);
      break;
    }
    total = after;
    at[best] = next;
    level[best] = i + 1;
  }
  // Back from positions in the book to quantities taken; from the top there is nothing to take off.
  return at.map((position, v) => (start[v]!.isZero() ? position : position.minus(start[v]!)));
}

/** Levels wholly within `quantity` of the book. */
function fullLevels(venue: PreparedVenue, quantity: Decimal): number {
  const i = levelOf(venue, quantity);
  return venue.cumQuantity[i + 1]!.lte(quantity) ? i + 1 : i;
}

/** Effective cost of moving a venue's leg from `from` to `to`, its window starting at `start` in the book. */
function stepCost(venue: PreparedVenue, start: Decimal, from: Decimal, to: Decimal): Decimal {
  return effectiveAt(venue, positionAfter(start, to)).minus(effectiveAt(venue, positionAfter(start, from)));
}

/** The same per unit, to compare steps of different sizes (signed so that `better` applies). */
function rate(venue: PreparedVenue, start: Decimal, from: Decimal, to: Decimal): Decimal {
  return stepCost(venue, start, from, to).div(to.minus(from));
}

/** The lot a venue's leg moves by: its lot size, or (no lot rule) whatever is asked, up to its depth. */
function stepOf(venue: PreparedVenue, room: Decimal, wanted: Decimal): Decimal {
  return venue.candidate.rules.quantityStep ?? Decimal.min(room, wanted);
}

/**
 * Step 3: hand out what rounding down left, one lot at a time, to the cheapest next lot. Each
 * venue's next-lot rate is priced once and again only when that venue gets the lot.
 */
function topUp(venues: readonly PreparedVenue[], start: readonly Decimal[], depth: readonly Decimal[], side: Side, target: Decimal, quantities: Decimal[]): void {
  let remainder = quantities.reduce((left, quantity) => left.minus(quantity), target);
  const nextRate = (v: number): Decimal | null => {
    const room = depth[v]!.minus(quantities[v]!);
    const step = stepOf(venues[v]!, room, remainder);
    if (step.lte(0) || step.gt(remainder) || step.gt(room)) return null;
    return rate(venues[v]!, start[v]!, quantities[v]!, quantities[v]!.plus(step));
  };
  const rates = venues.map((_venue, v) => nextRate(v));
  while (remainder.gt(0)) {
    let best = -1;
    for (let v = 0; v < venues.length; v++) {
      const candidate = rates[v];
      if (candidate && (best < 0 || better(side, candidate, rates[best]!))) best = v;
    }
    if (best < 0) return;
    const step = stepOf(venues[best]!, depth[best]!.minus(quantities[best]!), remainder);
    quantities[best] = quantities[best]!.plus(step);
    remainder = remainder.minus(step);
    // A smaller remainder can rule out a lot elsewhere; only the chosen venue's price changed.
    for (let v = 0; v < venues.length; v++) {
      if (v === best || (rates[v] && stepOf(venues[v]!, depth[v]!.minus(quantities[v]!), remainder).gt(remainder))) rates[v] = nextRate(v);
    }
  }
}

/**
 * Step 4: move one lot from the venue whose last lot costs most to the venue whose next lot costs
 * least, among venues with the same lot, while that lowers the cost. Lots being equal, their costs
 * compare without dividing; they are kept per venue and re-priced only for the two a move changes.
 */
function exchangeLots(venues: readonly PreparedVenue[], start: readonly Decimal[], depth: readonly Decimal[], side: Side, quantities: Decimal[]): void {
  const lots = venues.map((venue) => venue.candidate.rules.quantityStep);
  const lastRate = (v: number): Decimal | null => {
    const lot = lots[v];
    return !lot || quantities[v]!.lt(lot) ? null : stepCost(venues[v]!, start[v]!, quantities[v]!.minus(lot), quantities[v]!);
  };
  const nextRate = (v: number): Decimal | null => {
    const lot = lots[v];
    return !lot || quantities[v]!.plus(lot).gt(depth[v]!) ? null : stepCost(venues[v]!, start[v]!, quantities[v]!, quantities[v]!.plus(lot));
  };
  const last = venues.map((_venue, v) => lastRate(v));
  const next = venues.map((_venue, v) => nextRate(v));
  for (;;) {
    let move: { from: number; to: number; gain: Decimal } | null = null;
    for (let from = 0; from < venues.length; from++) {
      const saved = last[from];
      if (!saved) continue;
      for (let to = 0; to < venues.length; to++) {
        const paid = next[to];
        if (to === from || !paid || !lots[to]!.eq(lots[from]!)) continue;
        const gain = side === 'BUY' ? saved.minus(paid) : paid.minus(saved);
        if (gain.gt(0) && (move === null || gain.gt(move.gain))) move = { from, to, gain };
      }
    }
    if (move === null) return;
    quantities[move.from] = quantities[move.from]!.minus(lots[move.from]!);
    quantities[move.to] = quantities[move.to]!.plus(lots[move.to]!);
    for (const v of [move.from, move.to]) [last[v], next[v]] = [lastRate(v), nextRate(v)];
  }
}

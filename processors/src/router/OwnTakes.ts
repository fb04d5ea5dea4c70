import { Decimal, parseDecimal, type RouteDecision, type Side } from '@crossvenue/schemas';
import { withinLimit } from './PreparedVenue.ts';
import type { BookLevel } from './RouteRequest.ts';
import { viewKey } from './viewKey.ts';

/**
 * How long after a decision a book can still predate what its legs took: the child order's trip to
 * the venue, then the venue's next book push and its trip back through the connector. A book
 * received later is taken to show the venue after our orders.
 */
export const OWN_TAKE_SETTLE_MS = 1_000;

/**
 * A bound on the takes held per book, oldest dropped first: only a book that stopped coming while we
 * kept routing there collects that many, and the router stops using it once stale
 * (maxBookStalenessMs, 5 s by default: 5,000 takes at a thousand legs a second). Dropping one works
 * the book out again, so the bound sits above what a steady flow holds.
 */
const MAX_TAKES_HELD = 10_000;

/** Liquidity one leg of ours takes on its venue: up to `quantity`, at prices within `limit` (null: any). */
interface Take {
  side: Side;
  limit: Decimal | null;
  quantity: Decimal;
  atMs: number;
}

type Levels = { bids: BookLevel[]; asks: BookLevel[] };

/**
 * One book's unsettled takes, and the book's levels less them as last worked out (`left`, from the
 * levels object `source`). At a thousand intents a second a book holds hundreds of takes, and
 * subtracting them all again for every route was most of the router's time (a CPU profile of the
 * execution bench: 37% in `without`); now a route reads `left`, and a take is subtracted once.
 */
interface BookTakes {
  takes: Take[];
  source?: Levels;
  left?: Levels;
}

/**
 * The liquidity the router's own legs took, per venue and instrument, held against books received
 * before those takes can show in them. Without it a re-route, which follows its legs' results by a
 * few milliseconds, planned again on the levels its first legs had just emptied (the books had not
 * moved yet); its IOC legs expired, and the next re-route did the same until the intent ran out of
 * routes. Post-only legs rest and take nothing.
 */
export class OwnTakes {
  private readonly byBook = new Map<string, BookTakes>();

  /** `settleMs` 0 holds nothing: for books that no order of ours ever reaches (a test's fixed books). */
  constructor(private readonly settleMs: number = OWN_TAKE_SETTLE_MS) {}

  record(decision: RouteDecision): void {
    if (this.settleMs === 0 || decision.side === null || decision.intent?.order?.postOnly) return;
    for (const leg of decision.legs) {
      const id = viewKey(leg.venue, decision.instrument);
      const where = `route decision ${decision.eventId} leg ${leg.leg}`;
      const take: Take = {
        side: decision.side,
        limit: leg.limitPrice === null ? null : parseDecimal(leg.limitPrice, `${where} limitPrice`),
        quantity: parseDecimal(leg.quantity, `${where} quantity`),
        atMs: decision.decidedAtMs,
      };
      const held = this.byBook.get(id) ?? { takes: [] };
      this.byBook.set(id, held);
      if (held.takes.push(take) > MAX_TAKES_HELD) {
        held.takes.shift();
        held.left = undefined;
      } else if (held.left) held.left = levelsLess(held.left, [take]);
    }
  }

  /** A book received at `receivedAtMs` shows every take settled by then: those are forgotten. */
  bookReceived(venue: string, instrument: string, receivedAtMs: number): void {
    const id = viewKey(venue, instrument);
    const held = this.byBook.get(id);
    if (!held) return;
    const pending = held.takes.filter((take) => receivedAtMs < take.atMs + this.settleMs);
    if (pending.length > 0) this.byBook.set(id, { takes: pending });
    else this.byBook.delete(id);
  }

  /** The book's levels less what our unsettled takes emptied: asks less our buys, bids less our sells. */
  levelsWithout(venue: string, instrument: string, levels: Levels): Levels {
    const held = this.byBook.get(viewKey(venue, instrument));
    if (!held) return levels;
    if (held.source !== levels || !held.left) {
      held.source = levels;
      held.left = levelsLess(levels, held.takes);
    }
    return held.left;
  }
}

function levelsLess(levels: Levels, takes: readonly Take[]): Levels {
  return { bids: without(levels.bids, takes, 'SELL'), asks: without(levels.asks, takes, 'BUY') };
}

function without(levels: readonly BookLevel[], takes: readonly Take[], side: Side): BookLevel[] {
  const left = levels.map((level) => ({ ...level }));
  for (const take of takes) {
    if (take.side !== side) continue;
    let wanted = take.quantity;
    for (const level of left) {
      if (wanted.isZero() || (take.limit !== null && !withinLimit(side, level.price, take.limit))) break;
      const taken = Decimal.min(wanted, level.quantity);
      level.quantity = level.quantity.minus(taken);
      wanted = wanted.minus(taken);
    }
  }
  return left.filter((level) => level.quantity.gt(0));
}

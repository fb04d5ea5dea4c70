import { Decimal } from '@crossvenue/schemas';
import { EngineRejection } from './EngineRejection.ts';
import type { MatchingEngine } from './MatchingEngine.ts';
import { SeededRandom } from './SeededRandom.ts';

/** The other participants' account; funded without limit so it never runs dry. */
export const FLOW_ACCOUNT = 'background-flow';
/** The market maker that quotes the walking mid (see MidWalk); funded without limit as well. */
export const MAKER_ACCOUNT = 'background-maker';
const FUNDING = new Decimal('1e15');
const MAX_RESTING_PER_SYMBOL = 40;
const BPS = new Decimal(10_000);
/**
 * How much of its distance from zero a walk loses per step. The market's is a weak pull back to
 * the starting mid, so a demo left running for hours stays within about a percent of where it
 * began; a venue's own drift is pulled back within seconds, so venues stay a few bps apart.
 */
const MARKET_REVERSION = 0.002;
const VENUE_REVERSION = 0.05;
/** The jumps' draws come from the venue's seed moved by this, apart from the flow's own. */
const JUMP_SEED_OFFSET = 7_919;

/**
 * A seeded random walk of a venue's mids. Venues given the same `seed` draw the same market walk
 * (step by step, one for all their symbols, in bps), each with a small drift of its own around it
 * per symbol: their books move together, a few bps apart, and which one is cheapest changes.
 */
export interface MidWalk {
  seed: number;
  /** Typical size (standard deviation) of one step of the market's walk, in bps of the starting mid. */
  stepBps: number;
  /** Typical size of one step of this venue's own drift around the market, in bps. */
  venueStepBps: number;
  /**
   * Now and then the venue's mid jumps `bps` away from the market (up or down, as drawn), stays
   * there `forSteps` steps and comes back: a venue pricing apart for a moment, what cross-venue
   * arbitrage feeds on. A jump starts on a step with chance 1 / `everySteps`, drawn from the
   * venue's seed on a sequence of its own, so the walk and the flow draw what they drew without.
   */
  jumps?: { bps: number; everySteps: number; forSteps: number };
}

/** The ladder the maker keeps around the walking mid: the shape of the book it found at start. */
interface MakerLadder {
  symbol: string;
  startMid: Decimal;
  spacing: Decimal;
  /** Quantity per level, the best first. */
  quantities: Decimal[];
  /** The venue's own drift, in bps. */
  drift: number;
}

/**
 * Seeded order flow from other participants so that books move: each step, per symbol, either
 * joins the book a few ticks from the touch, takes a little liquidity with a market order, or
 * cancels its oldest resting order. With a `walk`, a market maker also quotes a ladder shaped
 * like the seeded one around a mid that follows the walk: when the mid moves, it cancels the
 * levels left behind and quotes the new ones, taking whatever rests in the way, so the whole book
 * moves. `step()` is pure; `start()` only adds a timer around it.
 */
export class BackgroundFlow {
  private readonly random: SeededRandom;
  private readonly market: SeededRandom | undefined;
  private readonly ladders: MakerLadder[] = [];
  /** The market's walk, in bps from the starting mids. */
  private marketWalk = 0;
  private readonly jumpDraws: SeededRandom;
  /** The jump in progress, in bps, and the steps it has left (0: none). */
  private jump = { bps: 0, stepsLeft: 0 };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly engine: MatchingEngine,
    seed: number,
    private readonly walk?: MidWalk,
  ) {
    this.random = new SeededRandom(seed);
    this.jumpDraws = new SeededRandom(seed + JUMP_SEED_OFFSET);
    for (const market of engine.markets()) {
      for (const account of [FLOW_ACCOUNT, MAKER_ACCOUNT]) {
        engine.balances.credit(account, market.baseAsset, FUNDING);
        engine.balances.credit(account, market.quoteAsset, FUNDING);
      }
    }
    if (!walk) return;
    this.market = new SeededRandom(walk.seed);
    for (const market of engine.markets()) {
      const { bids, asks } = engine.depth(market.symbol, Number.MAX_SAFE_INTEGER);
      if (!bids[0] || !asks[0]) continue;
      const spacing = bids[1] ? bids[0].price.minus(bids[1].price) : market.tickSize;
      this.ladders.push({ symbol: market.symbol, startMid: bids[0].price.plus(asks[0].price).div(2), spacing, quantities: bids.map((level) => level.total), drift: 0 });
    }
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => this.step(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  step(): void {
    if (this.walk) {
      this.marketWalk = this.marketWalk * (1 - MARKET_REVERSION) + gaussian(this.market!) * this.walk.stepBps;
      const jumpBps = this.nextJump(this.walk.jumps);
      for (const ladder of this.ladders) {
        ladder.drift = ladder.drift * (1 - VENUE_REVERSION) + gaussian(this.random) * this.walk.venueStepBps;
        this.requote(ladder, jumpBps);
      }
    }
    for (const market of this.engine.markets()) {
      const { bids, asks } = this.engine.depth(market.symbol, 1);
      const bestBid = bids[0]?.price;
      const bestAsk = asks[0]?.price;
      if (!bestBid || !bestAsk) continue;
      const side = this.random.next() < 0.5 ? 'BUY' : 'SELL';
      const quantity = market.minQty.plus(market.stepSize.times(this.random.int(0, 20))).times(this.random.int(1, 5));
      const action = this.random.next();
      try {
        if (action < 0.15) this.engine.place({ account: FLOW_ACCOUNT, symbol: market.symbol, side, type: 'MARKET', quantity });
        else if (action < 0.35) this.cancelOldest(market.symbol);
        else {
          const ticks = market.tickSize.times(this.random.int(0, 4));
          const price = side === 'BUY' ? bestBid.minus(ticks) : bestAsk.plus(ticks);
          this.engine.place({ account: FLOW_ACCOUNT, symbol: market.symbol, side, type: 'LIMIT', quantity, price });
        }
        if (this.engine.openOrders(FLOW_ACCOUNT, market.symbol).length > MAX_RESTING_PER_SYMBOL) this.cancelOldest(market.symbol);
      } catch (error) {
        // A step may be refused (a filter at the edge of the book, a self-trade); the next one goes on.
        if (!(error instanceof EngineRejection)) throw error;
      }
    }
  }

  /** This step's jump, in bps: the one in progress, a new one as drawn, or 0. */
  private nextJump(jumps: MidWalk['jumps']): number {
    if (!jumps) return 0;
    if (this.jump.stepsLeft === 0 && this.jumpDraws.next() < 1 / jumps.everySteps) {
      this.jump = { bps: this.jumpDraws.next() < 0.5 ? -jumps.bps : jumps.bps, stepsLeft: jumps.forSteps };
    }
    if (this.jump.stepsLeft === 0) return 0;
    this.jump.stepsLeft--;
    return this.jump.bps;
  }

  /**
   * Quotes the ladder around the walked mid (moved by a jump in progress), put on the ladder's
   * grid: levels that left the window are cancelled, and a level with nothing resting at its price
   * (taken, or new) is quoted again.
   */
  private requote({ symbol, startMid, spacing, quantities, drift }: MakerLadder, jumpBps: number): void {
    const target = startMid.times(BPS.plus(new Decimal((this.marketWalk + drift + jumpBps).toFixed(4)))).div(BPS);
    const anchor = startMid.plus(spacing.times(target.minus(startMid).div(spacing).round()));
    const wanted = (side: 'BUY' | 'SELL') => quantities.map((quantity, level) => ({ quantity, price: side === 'BUY' ? anchor.minus(spacing.times(level + 1)) : anchor.plus(spacing.times(level + 1)) }));
    const levels = { BUY: wanted('BUY'), SELL: wanted('SELL') };
    for (const order of this.engine.openOrders(MAKER_ACCOUNT, symbol)) {
      if (!levels[order.side].some(({ price }) => price.eq(order.price))) this.engine.cancel(MAKER_ACCOUNT, symbol, { orderId: order.orderId });
    }
    // Read once: a new bid only takes asks below the anchor, where no ask is wanted, and the reverse.
    const book = this.engine.depth(symbol, Number.MAX_SAFE_INTEGER);
    const resting = { BUY: new Set(book.bids.map((level) => level.price.toString())), SELL: new Set(book.asks.map((level) => level.price.toString())) };
    for (const side of ['BUY', 'SELL'] as const) {
      for (const { price, quantity } of levels[side]) {
        if (resting[side].has(price.toString())) continue;
        try {
          this.engine.place({ account: MAKER_ACCOUNT, symbol, side, type: 'LIMIT', quantity, price });
        } catch (error) {
          // A level outside the market's price band is left out; the others are quoted.
          if (!(error instanceof EngineRejection)) throw error;
        }
      }
    }
  }

  private cancelOldest(symbol: string): void {
    const [oldest] = this.engine.openOrders(FLOW_ACCOUNT, symbol);
    if (oldest) this.engine.cancel(FLOW_ACCOUNT, symbol, { orderId: oldest.orderId });
  }
}

/** A standard normal draw, near enough for a walk: the sum of four uniforms, centred and scaled. */
function gaussian(random: SeededRandom): number {
  return (random.next() + random.next() + random.next() + random.next() - 2) * Math.sqrt(3);
}

import { Decimal } from '@crossvenue/schemas';
import { EngineRejection } from './EngineRejection.ts';
import type { MatchingEngine } from './MatchingEngine.ts';
import { SeededRandom } from './SeededRandom.ts';

/** The other participants' account; funded without limit so it never runs dry. */
export const FLOW_ACCOUNT = 'background-flow';
const FUNDING = new Decimal('1e15');
const MAX_RESTING_PER_SYMBOL = 40;

/**
 * Seeded order flow from other participants so that books move: each step, per symbol, either
 * joins the book a few ticks from the touch, takes a little liquidity with a market order, or
 * cancels its oldest resting order. `step()` is pure; `start()` only adds a timer around it.
 */
export class BackgroundFlow {
  private readonly random: SeededRandom;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly engine: MatchingEngine,
    seed: number,
  ) {
    this.random = new SeededRandom(seed);
    for (const market of engine.markets()) {
      engine.balances.credit(FLOW_ACCOUNT, market.baseAsset, FUNDING);
      engine.balances.credit(FLOW_ACCOUNT, market.quoteAsset, FUNDING);
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

  private cancelOldest(symbol: string): void {
    const [oldest] = this.engine.openOrders(FLOW_ACCOUNT, symbol);
    if (oldest) this.engine.cancel(FLOW_ACCOUNT, symbol, { orderId: oldest.orderId });
  }
}

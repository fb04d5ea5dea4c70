import { Decimal } from '@crossvenue/schemas';
import type { MatchingEngine } from './MatchingEngine.ts';

/** Resting liquidity to start a book with: `depth` levels a side, one tick apart around `mid`. */
export interface LadderSeed {
  mid: string;
  /** Levels per side. */
  depth: number;
  /** Quantity at the best level; deeper levels grow by `quantityStep` each. */
  quantity: string;
  quantityStep: string;
  /** Distance between levels; the market's tick size when omitted. */
  spacing?: string;
}

/**
 * Places the ladder as GTC limit orders from `account`, crediting it first with exactly what the
 * orders lock, so the seeded book is made of real, matchable orders.
 */
export function seedLadder(engine: MatchingEngine, symbol: string, account: string, seed: LadderSeed): void {
  const rules = engine.market(symbol);
  const mid = new Decimal(seed.mid);
  const spacing = new Decimal(seed.spacing ?? rules.tickSize);
  const levels = Array.from({ length: seed.depth }, (_, i) => ({
    offset: spacing.times(i + 1),
    quantity: new Decimal(seed.quantity).plus(new Decimal(seed.quantityStep).times(i)),
  }));
  for (const { offset, quantity } of levels) {
    const bid = mid.minus(offset);
    engine.balances.credit(account, rules.quoteAsset, bid.times(quantity));
    engine.balances.credit(account, rules.baseAsset, quantity);
    engine.place({ account, symbol, side: 'BUY', type: 'LIMIT', quantity, price: bid });
    engine.place({ account, symbol, side: 'SELL', type: 'LIMIT', quantity, price: mid.plus(offset) });
  }
}

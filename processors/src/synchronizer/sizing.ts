import { Decimal, type Balance } from '@crossvenue/schemas';
import type { Sizing } from './FollowerConfig.ts';

const ZERO = new Decimal(0);

/** What sizing one leader fill needs besides the mode; quantities signed (negative sells, short). */
export interface LeaderMove {
  /** The leader's fill in the base asset: positive bought, negative sold. */
  quantity: Decimal;
  price: Decimal;
  /** The leader's position in the instrument before this fill. */
  leaderBefore: Decimal;
  /** The follower's target before this fill. */
  targetBefore: Decimal;
  /** Follower equity / leader equity; null when either is not known yet (needed by mode equity only). */
  equityRatio: Decimal | null;
}

export type Sized = { target: Decimal } | { refused: string };

/**
 * The follower's target position after a leader fill. Ratio and equity scale the leader's
 * quantity; notional adds `notional / price` on a trade that opens or increases the leader's
 * position, scales the target down in proportion when the leader reduces (so a leader that halves
 * its position halves the follower's), and is flat when the leader is. A fill that flips the
 * leader's side opens the new side at the notional.
 */
export function targetAfter(sizing: Sizing, move: LeaderMove): Sized {
  const { quantity, price, leaderBefore, targetBefore } = move;
  switch (sizing.mode) {
    case 'ratio':
      return { target: targetBefore.plus(quantity.times(sizing.ratio)) };
    case 'equity':
      if (move.equityRatio === null) return { refused: 'equity of the follower or the leader is not known yet (no balances valued)' };
      return { target: targetBefore.plus(quantity.times(move.equityRatio)) };
    case 'notional': {
      if (!price.gt(0)) return { refused: `no usable price (${price.toFixed()}) to size a notional` };
      const leaderAfter = leaderBefore.plus(quantity);
      if (leaderAfter.isZero()) return { target: ZERO };
      const opening = sizing.notional.div(price).times(quantity.s);
      if (leaderBefore.isZero() || leaderBefore.s !== leaderAfter.s) return { target: opening };
      if (leaderAfter.abs().gt(leaderBefore.abs())) return { target: targetBefore.plus(opening) };
      return { target: targetBefore.times(leaderAfter).div(leaderBefore) };
    }
  }
}

/**
 * The target the leader's current position implies, for re-sync: ratio and equity scale it;
 * notional has no function of the position alone, so its target is the one kept from the fills
 * (`kept`), flat when the leader is.
 */
export function impliedTarget(sizing: Sizing, leaderPosition: Decimal, kept: Decimal, equityRatio: Decimal | null): Decimal | null {
  switch (sizing.mode) {
    case 'ratio':
      return leaderPosition.times(sizing.ratio);
    case 'equity':
      return equityRatio === null ? null : leaderPosition.times(equityRatio);
    case 'notional':
      return leaderPosition.isZero() ? ZERO : kept;
  }
}

/** The target within ±maxPosition (null: no cap). */
export function capPosition(target: Decimal, maxPosition: Decimal | null): Decimal {
  if (maxPosition === null) return target;
  return Decimal.max(maxPosition.negated(), Decimal.min(maxPosition, target));
}

export type Equity = { value: Decimal } | { unknown: string };

/**
 * An account's equity in `currency`: every balance's total at its price there (`priceOf`, the mid
 * of ASSET/CURRENCY). A non-zero balance without a price makes it unknown, rather than wrong.
 */
export function accountEquity(balances: readonly Balance[], currency: string, priceOf: (asset: string) => Decimal | null): Equity {
  let value = ZERO;
  for (const { asset, total } of balances) {
    const amount = new Decimal(total);
    if (amount.isZero()) continue;
    const price = asset === currency ? new Decimal(1) : priceOf(asset);
    if (price === null) return { unknown: `no ${asset}/${currency} mid to value ${asset}` };
    value = value.plus(amount.times(price));
  }
  return { value };
}

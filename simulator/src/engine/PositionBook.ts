import { Decimal } from '@crossvenue/schemas';
import { PerpetualRejection } from './PerpetualRejection.ts';
import type { Side } from './types.ts';

export type MarginType = 'CROSSED' | 'ISOLATED';

/** One account's one-way position in one perpetual, and the settings it trades with. */
export interface Position {
  /** Signed: positive long, negative short, zero flat. */
  amount: Decimal;
  /** Volume-weighted average price of the open amount; zero when flat. */
  entryPrice: Decimal;
  leverage: number;
  marginType: MarginType;
  updateTime: number;
}

export const DEFAULT_LEVERAGE = 20;
export const MAX_LEVERAGE = 125;
const ZERO = new Decimal(0);

/**
 * Every account's positions and per-symbol settings (leverage 1-125, default 20; margin type,
 * default CROSSED), in one-way mode: a fill moves the one signed position, and its reducing part
 * realizes PnL against the entry price.
 */
export class PositionBook {
  private readonly positions = new Map<string, Position>();

  constructor(private readonly clock: () => number) {}

  /** The account's position in `symbol`: flat with the default settings if it never traded, and from then on among `of(account)`. */
  get(account: string, symbol: string): Readonly<Position> {
    return this.entry(account, symbol);
  }

  /** The account's positions and settings, by symbol (only those it ever touched). */
  of(account: string): Array<[string, Readonly<Position>]> {
    const prefix = `${account}\u0000`;
    return [...this.positions].filter(([key]) => key.startsWith(prefix)).map(([key, position]) => [key.slice(prefix.length), position]);
  }

  /** Every non-flat position, as [account, symbol, position]. */
  open(): Array<[string, string, Readonly<Position>]> {
    return [...this.positions].filter(([, position]) => !position.amount.isZero()).map(([key, position]) => {
      const [account, symbol] = key.split('\u0000') as [string, string];
      return [account, symbol, position];
    });
  }

  setLeverage(account: string, symbol: string, leverage: number): void {
    if (!Number.isInteger(leverage) || leverage < 1 || leverage > MAX_LEVERAGE) {
      throw new PerpetualRejection('INVALID_LEVERAGE', `Leverage ${leverage} is not valid`);
    }
    this.entry(account, symbol).leverage = leverage;
  }

  setMarginType(account: string, symbol: string, marginType: MarginType): void {
    const position = this.entry(account, symbol);
    if (position.marginType === marginType) throw new PerpetualRejection('MARGIN_TYPE_UNCHANGED', 'No need to change margin type.');
    if (!position.amount.isZero()) throw new PerpetualRejection('MARGIN_TYPE_WITH_POSITION', 'Margin type cannot be changed if there exists position.');
    position.marginType = marginType;
  }

  /**
   * Applies one fill: the part against the position closes it and realizes
   * closed × (price − entry) × (+1 long / −1 short); the rest opens or adds, and the entry becomes
   * the volume-weighted average of the open amount (a flip opens anew at the fill price).
   * Returns the realized PnL in the margin asset.
   */
  fill(account: string, symbol: string, side: Side, quantity: Decimal, price: Decimal): Decimal {
    const position = this.entry(account, symbol);
    const before = position.amount;
    const signed = side === 'BUY' ? quantity : quantity.negated();
    const reducing = !before.isZero() && before.isNegative() !== signed.isNegative();
    const closed = reducing ? Decimal.min(before.abs(), quantity) : ZERO;
    const realized = closed.times(price.minus(position.entryPrice)).times(before.isNegative() ? -1 : 1);
    const after = before.plus(signed);
    if (after.isZero()) position.entryPrice = ZERO;
    else if (!reducing) position.entryPrice = before.abs().times(position.entryPrice).plus(quantity.times(price)).div(after.abs());
    else if (after.isNegative() !== before.isNegative()) position.entryPrice = price;
    position.amount = after;
    position.updateTime = this.clock();
    return realized;
  }

  private entry(account: string, symbol: string): Position {
    const key = `${account}\u0000${symbol}`;
    let position = this.positions.get(key);
    if (!position) {
      position = { amount: ZERO, entryPrice: ZERO, leverage: DEFAULT_LEVERAGE, marginType: 'CROSSED', updateTime: 0 };
      this.positions.set(key, position);
    }
    return position;
  }
}

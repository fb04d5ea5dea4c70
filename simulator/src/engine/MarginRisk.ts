import { Decimal } from '@crossvenue/schemas';
import type { Position } from './PositionBook.ts';
import type { Side } from './types.ts';

/** The one maintenance margin rate of the model (Binance's first bracket for the large perpetuals). */
export const MAINTENANCE_MARGIN_RATE = new Decimal('0.004');
/** Binance USD-M sends margin and PnL with 8 places; divisions (margin = notional / leverage) round there. */
const PLACES = 8;
const ZERO = new Decimal(0);

/** One position's margin picture at the mark price. */
export interface PositionRisk {
  symbol: string;
  position: Readonly<Position>;
  markPrice: Decimal;
  /** Signed: amount × mark. */
  notional: Decimal;
  unrealizedPnl: Decimal;
  /** Cross: |notional| / leverage. Isolated: the isolated wallet, |amount| × entry / leverage. */
  initialMargin: Decimal;
  maintMargin: Decimal;
  isolatedWallet: Decimal;
  openOrderInitialMargin: Decimal;
  liquidationPrice: Decimal;
  /** Where the margin backing the position is gone (see `bankruptcyPrice`); a liquidation is priced there. Zero when flat. */
  bankruptcyPrice: Decimal;
}

export interface AccountRisk {
  walletBalance: Decimal;
  /** walletBalance minus the isolated wallets. */
  crossWalletBalance: Decimal;
  crossUnrealizedPnl: Decimal;
  unrealizedPnl: Decimal;
  positionInitialMargin: Decimal;
  openOrderInitialMargin: Decimal;
  maintMargin: Decimal;
  /** What new orders may use: cross wallet + cross unrealized PnL − cross position margin − open-order margin. */
  availableBalance: Decimal;
  positions: PositionRisk[];
}

/** One symbol of an account, as the risk needs it. */
export interface RiskInput {
  symbol: string;
  position: Readonly<Position>;
  markPrice: Decimal;
  openOrderInitialMargin: Decimal;
}

/** The part of an order that opens or adds to the position (the rest only reduces it), never negative. */
export function openingQuantity(amount: Decimal, side: Side, quantity: Decimal): Decimal {
  const reduces = side === 'BUY' ? amount.isNegative() : amount.isPositive() && !amount.isZero();
  return Decimal.max(ZERO, reduces ? quantity.minus(amount.abs()) : quantity);
}

/** Initial margin of `quantity` at `price`: notional / leverage. */
export function initialMargin(quantity: Decimal, price: Decimal, leverage: number): Decimal {
  return quantity.times(price).div(leverage);
}

/** An account's margin and every position's risk, liquidation prices included. */
export function accountRisk(walletBalance: Decimal, inputs: readonly RiskInput[]): AccountRisk {
  const base = inputs.map((input) => positionBasics(input));
  const isolatedWallets = sum(base.map((p) => p.isolatedWallet));
  const crossWalletBalance = walletBalance.minus(isolatedWallets);
  const cross = base.filter((p) => p.position.marginType === 'CROSSED');
  /** What backs a position: its isolated wallet, or the cross wallet less the other cross positions' maintenance margin plus their PnL. */
  const backing = (p: (typeof base)[number]) =>
    p.position.marginType === 'ISOLATED' ? p.isolatedWallet : crossWalletBalance.minus(sum(cross.filter((o) => o !== p).map((o) => o.maintMargin.minus(o.unrealizedPnl))));
  const positions = base.map((p) => {
    const margin = backing(p);
    return { ...p, liquidationPrice: liquidationPrice(p, margin), bankruptcyPrice: bankruptcyPrice(p, margin) };
  });
  const crossUnrealizedPnl = sum(cross.map((p) => p.unrealizedPnl));
  const crossInitialMargin = sum(cross.map((p) => p.initialMargin));
  const openOrderInitialMargin = sum(base.map((p) => p.openOrderInitialMargin));
  return {
    walletBalance,
    crossWalletBalance,
    crossUnrealizedPnl,
    unrealizedPnl: sum(base.map((p) => p.unrealizedPnl)),
    positionInitialMargin: sum(base.map((p) => p.initialMargin)),
    openOrderInitialMargin,
    maintMargin: sum(base.map((p) => p.maintMargin)),
    availableBalance: crossWalletBalance.plus(crossUnrealizedPnl).minus(crossInitialMargin).minus(openOrderInitialMargin),
    positions,
  };
}

/**
 * Whether the mark price has reached the position's liquidation price as reported (long: mark ≤ LP;
 * short: mark ≥ LP). A position whose LP is zero (never reached) is never past it.
 */
export function pastLiquidation({ position, markPrice, liquidationPrice }: PositionRisk): boolean {
  if (position.amount.isZero() || liquidationPrice.isZero()) return false;
  return position.amount.isPositive() ? markPrice.lte(liquidationPrice) : markPrice.gte(liquidationPrice);
}

type PositionBasics = Omit<PositionRisk, 'liquidationPrice' | 'bankruptcyPrice'>;

function positionBasics({ symbol, position, markPrice, openOrderInitialMargin }: RiskInput): PositionBasics {
  const size = position.amount.abs();
  const notional = position.amount.times(markPrice);
  const isolatedWallet = position.marginType === 'ISOLATED' ? round(initialMargin(size, position.entryPrice, position.leverage)) : ZERO;
  return {
    symbol,
    position,
    markPrice,
    notional,
    unrealizedPnl: position.amount.times(markPrice.minus(position.entryPrice)),
    initialMargin: position.marginType === 'ISOLATED' ? isolatedWallet : round(initialMargin(size, markPrice, position.leverage)),
    maintMargin: round(notional.abs().times(MAINTENANCE_MARGIN_RATE)),
    isolatedWallet,
    openOrderInitialMargin: round(openOrderInitialMargin),
  };
}

/**
 * Binance's one-way liquidation price with one maintenance bracket (maintenance amount 0):
 *   LP = (WB − s × |q| × E) / (|q| × MMR − s × |q|)
 * with s = +1 long / −1 short, q the position amount, E its entry price, MMR 0.4%, and WB the
 * margin backing it: the isolated wallet, or for cross the cross wallet less the other cross
 * positions' maintenance margin plus their unrealized PnL. Zero when flat or never reached (LP ≤ 0).
 */
function liquidationPrice(position: PositionBasics, backing: Decimal): Decimal {
  const { amount, entryPrice } = position.position;
  if (amount.isZero()) return ZERO;
  const side = amount.isNegative() ? -1 : 1;
  const size = amount.abs();
  const price = backing.minus(size.times(entryPrice).times(side)).div(size.times(MAINTENANCE_MARGIN_RATE).minus(size.times(side)));
  return price.lte(0) ? ZERO : round(price);
}

/**
 * The price at which the position's loss takes all of the margin backing it (as for the liquidation
 * price): WB + s × |q| × (BP − E) = 0, so BP = E − s × WB / |q|. Exact, not rounded: a liquidation
 * order rounds it to the tick on the side that keeps the loss within WB.
 */
function bankruptcyPrice(position: PositionBasics, backing: Decimal): Decimal {
  const { amount, entryPrice } = position.position;
  if (amount.isZero()) return ZERO;
  return entryPrice.minus(backing.div(amount));
}

const round = (value: Decimal) => value.toDecimalPlaces(PLACES);
const sum = (values: Decimal[]) => values.reduce((total, value) => total.plus(value), ZERO);

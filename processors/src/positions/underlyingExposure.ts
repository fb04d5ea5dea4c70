import { Decimal, parseSymbol } from '@crossvenue/schemas';
import type { PositionState } from './PositionState.ts';

/** What one portfolio holds of one base asset across every venue, account and instrument. */
export interface UnderlyingExposure {
  portfolio: string;
  underlying: string;
  /** Sum of the signed quantities (base units for spot and linear contracts). */
  netQuantity: Decimal;
  /** Sum of the absolute quantities. */
  grossQuantity: Decimal;
  /** Per quote currency: PnL in USDT and in USD are different money until converted. */
  realizedPnl: Map<string, Decimal>;
  fees: Map<string, Decimal>;
  positions: number;
}

export function underlyingExposures(positions: Iterable<PositionState>): UnderlyingExposure[] {
  const byKey = new Map<string, UnderlyingExposure>();
  for (const position of positions) {
    const { base, quote } = parseSymbol(position.instrument);
    const key = `${position.portfolio}|${base}`;
    let exposure = byKey.get(key);
    if (!exposure) {
      exposure = { portfolio: position.portfolio, underlying: base, netQuantity: new Decimal(0), grossQuantity: new Decimal(0), realizedPnl: new Map(), fees: new Map(), positions: 0 };
      byKey.set(key, exposure);
    }
    exposure.netQuantity = exposure.netQuantity.plus(position.quantity);
    exposure.grossQuantity = exposure.grossQuantity.plus(position.quantity.abs());
    addTo(exposure.realizedPnl, quote, position.realizedPnl);
    for (const [currency, amount] of position.fees) addTo(exposure.fees, currency, amount);
    exposure.positions += 1;
  }
  return [...byKey.values()].sort((a, b) => (a.portfolio + a.underlying < b.portfolio + b.underlying ? -1 : 1));
}

function addTo(totals: Map<string, Decimal>, currency: string, amount: Decimal): void {
  totals.set(currency, (totals.get(currency) ?? new Decimal(0)).plus(amount));
}

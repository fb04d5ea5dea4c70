import {
  Decimal,
  formatDecimal,
  formatNullableDecimal,
  parseSymbol,
  ConversionGraph,
} from '@crossvenue/schemas';
import { compareFills, underlyingExposures, unrealizedPnl, type PositionFill, type PositionState } from '@crossvenue/processors';

type Amounts = Record<string, string>;

export interface PositionRow {
  portfolio: string;
  account: string;
  venue: string;
  instrument: string;
  quantity: string;
  averageEntryPrice: string | null;
  markPrice: string | null;
  realizedPnl: string;
  unrealizedPnl: string | null;
  quoteCurrency: string;
  fees: Amounts;
  fills: number;
}

export interface UnderlyingRow {
  portfolio: string;
  underlying: string;
  netQuantity: string;
  grossQuantity: string;
  realizedPnl: Amounts;
  fees: Amounts;
  positions: number;
}

/** Totals in one currency; amounts that have no conversion path stay listed, in their own currency. */
export interface Valuation {
  currency: string;
  realizedPnl: string;
  unrealizedPnl: string;
  fees: string;
  /** realized + unrealized - fees, over the valued amounts only. */
  netPnl: string;
  unvalued: { realizedPnl: Amounts; unrealizedPnl: Amounts; fees: Amounts };
}

export interface PositionsReport {
  positions: PositionRow[];
  underlyings: UnderlyingRow[];
  valuation: Valuation | null;
}

/**
 * What `positions replay` prints. `marks` are prices per instrument (the caller's choice: book mids
 * live, the last fill price in a replay); they mark unrealized PnL and feed the conversion graph.
 */
export function positionsReport(positions: PositionState[], marks: ReadonlyMap<string, Decimal>, quoteCurrency: string | null): PositionsReport {
  const sorted = [...positions].sort((a, b) => (rowKey(a) < rowKey(b) ? -1 : 1));
  const rows = sorted.map((position) => positionRow(position, marks.get(position.instrument) ?? null));
  const underlyings = underlyingExposures(sorted).map((u) => ({
    portfolio: u.portfolio,
    underlying: u.underlying,
    netQuantity: formatDecimal(u.netQuantity),
    grossQuantity: formatDecimal(u.grossQuantity),
    realizedPnl: amounts(u.realizedPnl),
    fees: amounts(u.fees),
    positions: u.positions,
  }));
  return { positions: rows, underlyings, valuation: quoteCurrency === null ? null : valuation(sorted, marks, quoteCurrency) };
}

function positionRow(position: PositionState, mark: Decimal | null): PositionRow {
  return {
    portfolio: position.portfolio,
    account: position.account,
    venue: position.venue,
    instrument: position.instrument,
    quantity: formatDecimal(position.quantity),
    averageEntryPrice: formatNullableDecimal(position.averageEntryPrice),
    markPrice: formatNullableDecimal(mark),
    realizedPnl: formatDecimal(position.realizedPnl),
    unrealizedPnl: mark === null ? null : formatDecimal(unrealizedPnl(position, mark)),
    quoteCurrency: parseSymbol(position.instrument).quote,
    fees: amounts(position.fees),
    fills: position.fillCount,
  };
}

function valuation(positions: PositionState[], marks: ReadonlyMap<string, Decimal>, currency: string): Valuation {
  const graph = new ConversionGraph();
  for (const [instrument, price] of marks) graph.setPrice(instrument, price);
  const totals = { realizedPnl: new Decimal(0), unrealizedPnl: new Decimal(0), fees: new Decimal(0) };
  const unvalued = { realizedPnl: new Map<string, Decimal>(), unrealizedPnl: new Map<string, Decimal>(), fees: new Map<string, Decimal>() };
  const add = (kind: keyof typeof totals, amount: Decimal, from: string) => {
    if (amount.isZero()) return;
    const converted = graph.convert(amount, from, currency);
    if (converted === null) unvalued[kind].set(from, (unvalued[kind].get(from) ?? new Decimal(0)).plus(amount));
    else totals[kind] = totals[kind].plus(converted);
  };
  for (const position of positions) {
    const { quote } = parseSymbol(position.instrument);
    const mark = marks.get(position.instrument);
    add('realizedPnl', position.realizedPnl, quote);
    if (mark) add('unrealizedPnl', unrealizedPnl(position, mark), quote);
    for (const [feeCurrency, fee] of position.fees) add('fees', fee, feeCurrency);
  }
  return {
    currency,
    realizedPnl: formatDecimal(totals.realizedPnl),
    unrealizedPnl: formatDecimal(totals.unrealizedPnl),
    fees: formatDecimal(totals.fees),
    netPnl: formatDecimal(totals.realizedPnl.plus(totals.unrealizedPnl).minus(totals.fees)),
    unvalued: { realizedPnl: amounts(unvalued.realizedPnl), unrealizedPnl: amounts(unvalued.unrealizedPnl), fees: amounts(unvalued.fees) },
  };
}

/** Latest fill price per instrument, in canonical order: the marks a replay of fills alone can offer. */
export function lastFillPrices(positions: PositionState[]): Map<string, Decimal> {
  const latest = new Map<string, PositionFill>();
  for (const { lastFill } of positions) {
    if (!lastFill) continue;
    const seen = latest.get(lastFill.instrument);
    // Venue breaks ties between venues, so the marks never depend on the order positions are listed in.
    if (!seen || compareFills(seen, lastFill) < 0 || (compareFills(seen, lastFill) === 0 && seen.venue < lastFill.venue)) {
      latest.set(lastFill.instrument, lastFill);
    }
  }
  return new Map([...latest].map(([instrument, fill]) => [instrument, fill.price]));
}

function amounts(totals: ReadonlyMap<string, Decimal>): Amounts {
  return Object.fromEntries([...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, amount]) => [currency, formatDecimal(amount)]));
}

function rowKey(position: PositionState): string {
  return `${position.portfolio}|${position.account}|${position.venue}|${position.instrument}`;
}

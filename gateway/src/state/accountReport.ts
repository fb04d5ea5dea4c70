import {
  ConversionGraph,
  midPrice,
  Decimal,
  formatDecimal,
  parseDecimal,
  parseSymbol,
  type BalanceSnapshot,
  type BookSnapshot,
  type Position,
} from '@crossvenue/schemas';
import type { InstrumentPrecision } from './InstrumentPrecision.ts';

/** The currency balances and positions are valued in. */
export const VALUATION_CURRENCY = 'USDT';

const ZERO = new Decimal(0);
const format = (value: Decimal | null) => (value === null ? null : formatDecimal(value.toDecimalPlaces(8)));

/**
 * Prices from the mids of the books the gateway holds, so that any asset with a path to USDT
 * (BTC/USDT, or ETH/BTC then BTC/USDT) can be valued; an asset without one has value null rather
 * than a guessed rate. With several venues quoting one instrument, the last book seen sets it.
 */
export function valuationGraph(books: Iterable<BookSnapshot>): ConversionGraph {
  const graph = new ConversionGraph();
  for (const book of books) {
    const mid = midPrice(book);
    if (mid !== null) graph.setPrice(book.instrument, mid);
  }
  return graph;
}

/** Balances per venue account, and per asset with the per-venue breakdown, each valued in USDT. */
export function balanceReport(snapshots: Iterable<BalanceSnapshot>, graph: ConversionGraph) {
  const value = (amount: Decimal, asset: string) => graph.convert(amount, asset, VALUATION_CURRENCY);
  const byAccount = [...snapshots].sort(byVenueAccount).flatMap(({ portfolio, venue, account, balances }) =>
    balances.map((balance) => ({ portfolio, venue, account, ...balance, value: format(value(parseDecimal(balance.total, `${venue} ${account} ${balance.asset} total`), balance.asset)) })),
  );
  const assets = new Map<string, typeof byAccount>();
  for (const row of byAccount) assets.set(row.asset, [...(assets.get(row.asset) ?? []), row]);
  const aggregated = [...assets].map(([asset, rows]) => {
    const total = sum(rows.map((row) => row.total));
    const assetValue = value(total, asset);
    return {
      asset,
      free: formatDecimal(sum(rows.map((row) => row.free))),
      locked: formatDecimal(sum(rows.map((row) => row.locked))),
      total: formatDecimal(total),
      price: format(graph.rate(asset, VALUATION_CURRENCY)),
      value: format(assetValue),
      venues: rows.map(({ portfolio, venue, account, free, locked, total: held, value: rowValue }) => ({ portfolio, venue, account, free, locked, total: held, value: rowValue })),
    };
  });
  const valued = aggregated.filter((row) => row.value !== null);
  return {
    valuationCurrency: VALUATION_CURRENCY,
    totalValue: format(sum(valued.map((row) => row.value!))),
    unvaluedAssets: aggregated.filter((row) => row.value === null).map((row) => row.asset),
    byAccount,
    aggregated: aggregated.sort((a, b) => a.asset.localeCompare(b.asset)),
  };
}

/**
 * Positions per venue account and instrument as folded, and per underlying (base asset) across
 * venues, valued in USDT; a derivative's venue figures (mark, leverage, margin, liquidation price)
 * with them, and each instrument's precision for the dashboard to round them to.
 */
export function positionReport(positions: readonly Position[], graph: ConversionGraph, precision: Pick<InstrumentPrecision, 'of'>) {
  const underlyings = new Map<string, Position[]>();
  for (const position of [...positions].sort(byVenueAccount)) {
    const { base } = parseSymbol(position.instrument);
    underlyings.set(base, [...(underlyings.get(base) ?? []), position]);
  }
  const byUnderlying = [...underlyings].map(([underlying, held]) => {
    const net = sum(held.map((position) => position.quantity));
    return {
      underlying,
      netQuantity: formatDecimal(net),
      grossQuantity: formatDecimal(sum(held.map((position) => parseDecimal(position.quantity, 'position quantity').abs()))),
      value: format(graph.convert(net, underlying, VALUATION_CURRENCY)),
      venues: held.map(({ portfolio, venue, account, instrument, quantity, averageEntryPrice, unrealizedPnl, realizedPnl, quoteCurrency, markPrice, margin }) => ({
        portfolio,
        venue,
        account,
        instrument,
        quantity,
        averageEntryPrice,
        realizedPnl,
        unrealizedPnl,
        quoteCurrency,
        markPrice,
        leverage: margin?.leverage ?? null,
        marginMode: margin?.marginMode ?? null,
        initialMargin: margin?.initialMargin ?? null,
        liquidationPrice: margin?.liquidationPrice ?? null,
      })),
    };
  });
  return {
    valuationCurrency: VALUATION_CURRENCY,
    byVenue: positions,
    byUnderlying: byUnderlying.sort((a, b) => a.underlying.localeCompare(b.underlying)),
    precision: precision.of(new Set(positions.map(({ instrument }) => instrument))),
  };
}

function byVenueAccount(a: { venue: string; account: string }, b: { venue: string; account: string }): number {
  return a.venue.localeCompare(b.venue) || a.account.localeCompare(b.account);
}

function sum(values: ReadonlyArray<Decimal | string>): Decimal {
  return values.reduce<Decimal>((total, value) => total.plus(value), ZERO);
}

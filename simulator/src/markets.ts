import { readFileSync } from 'node:fs';
import { Decimal } from '@crossvenue/schemas';
import type { LadderSeed } from './engine/seedLadder.ts';
import type { MarketRules } from './engine/types.ts';

/** A market a simulated venue lists, and the liquidity its book starts with. */
export interface SimulatedMarket {
  rules: MarketRules;
  ladder: LadderSeed;
}

interface BinanceSymbolEntry {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  filters: Array<Record<string, unknown> & { filterType: string }>;
}

/** Binance's filter values for a symbol (exchangeInfo), as exact rules. */
export function rulesFromBinanceSymbol(entry: BinanceSymbolEntry): MarketRules {
  const filter = (type: string): Record<string, unknown> => entry.filters.find((f) => f.filterType === type) ?? {};
  const value = (type: string, key: string, fallback: string) => new Decimal(String(filter(type)[key] ?? fallback));
  const notional = entry.filters.some((f) => f.filterType === 'NOTIONAL') ? 'NOTIONAL' : 'MIN_NOTIONAL';
  return {
    symbol: entry.symbol,
    baseAsset: entry.baseAsset,
    quoteAsset: entry.quoteAsset,
    tickSize: value('PRICE_FILTER', 'tickSize', '0.01'),
    minPrice: value('PRICE_FILTER', 'minPrice', '0.01'),
    maxPrice: value('PRICE_FILTER', 'maxPrice', '1000000'),
    stepSize: value('LOT_SIZE', 'stepSize', '0.00001'),
    minQty: value('LOT_SIZE', 'minQty', '0.00001'),
    maxQty: value('LOT_SIZE', 'maxQty', '9000'),
    minNotional: value(notional, 'minNotional', '5'),
  };
}

const binance = (symbol: string, base: string, tick: string, step: string, maxQty: string): MarketRules =>
  rulesFromBinanceSymbol({
    symbol,
    baseAsset: base,
    quoteAsset: 'USDT',
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: tick, maxPrice: '1000000.00', tickSize: tick },
      { filterType: 'LOT_SIZE', minQty: step, maxQty, stepSize: step },
      { filterType: 'NOTIONAL', minNotional: '5.00000000' },
    ],
  });

/** The simulator's own markets, with Binance spot's real filters for these symbols (2025). */
export const DEFAULT_MARKETS: readonly SimulatedMarket[] = [
  { rules: binance('BTCUSDT', 'BTC', '0.01', '0.00001', '9000'), ladder: { mid: '64000', depth: 20, quantity: '0.25', quantityStep: '0.1' } },
  { rules: binance('ETHUSDT', 'ETH', '0.01', '0.0001', '9000'), ladder: { mid: '3100', depth: 20, quantity: '2', quantityStep: '0.5' } },
  { rules: binance('SOLUSDT', 'SOL', '0.01', '0.001', '90000'), ladder: { mid: '145', depth: 20, quantity: '20', quantityStep: '5' } },
];

const perpetual = (symbol: string, base: string, tick: string, step: string, maxQty: string, minNotional: string): MarketRules =>
  rulesFromBinanceSymbol({
    symbol,
    baseAsset: base,
    quoteAsset: 'USDT',
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: tick, maxPrice: '4529764', tickSize: tick },
      { filterType: 'LOT_SIZE', minQty: step, maxQty, stepSize: step },
      { filterType: 'NOTIONAL', minNotional },
    ],
  });

/**
 * The simulator's USDT-margined perpetuals (a `binanceusdm` venue's markets), with Binance USD-M's
 * real filters for these symbols (2025); the unified names are BTC/USDT:USDT and so on.
 */
export const DEFAULT_PERPETUAL_MARKETS: readonly SimulatedMarket[] = [
  { rules: perpetual('BTCUSDT', 'BTC', '0.1', '0.001', '1000', '100'), ladder: { mid: '64000', depth: 20, quantity: '2', quantityStep: '0.5' } },
  { rules: perpetual('ETHUSDT', 'ETH', '0.01', '0.001', '10000', '20'), ladder: { mid: '3100', depth: 20, quantity: '20', quantityStep: '5' } },
  { rules: perpetual('SOLUSDT', 'SOL', '0.01', '1', '1000000', '5'), ladder: { mid: '145', depth: 20, quantity: '200', quantityStep: '50' } },
];

/** `BTC/USDT` → the default market for `BTCUSDT`; throws a one-line error for an unknown one. */
export function defaultMarket(symbol: string): SimulatedMarket {
  const wanted = symbol.replace('/', '').toUpperCase();
  const market = DEFAULT_MARKETS.find((m) => m.rules.symbol === wanted);
  if (!market) throw new Error(`no simulated market ${symbol}; known: ${DEFAULT_MARKETS.map((m) => m.rules.symbol).join(', ')}`);
  return market;
}

interface BybitInstrument {
  symbol: string;
  baseCoin: string;
  quoteCoin: string;
  lotSizeFilter: { basePrecision: string; minOrderQty: string; maxOrderQty: string; minOrderAmt: string };
  priceFilter: { tickSize: string };
}

/** Bybit's spot instrument (`/v5/market/instruments-info`) as exact rules; Bybit has no price band here. */
export function rulesFromBybitInstrument(entry: BybitInstrument): MarketRules {
  const { lotSizeFilter: lot, priceFilter: price } = entry;
  return {
    symbol: entry.symbol,
    baseAsset: entry.baseCoin,
    quoteAsset: entry.quoteCoin,
    tickSize: new Decimal(price.tickSize),
    minPrice: new Decimal(price.tickSize),
    maxPrice: new Decimal('10000000'),
    stepSize: new Decimal(lot.basePrecision),
    minQty: new Decimal(lot.minOrderQty),
    maxQty: new Decimal(lot.maxOrderQty),
    minNotional: new Decimal(lot.minOrderAmt),
  };
}

/**
 * Market rules from a recorded venue response: Binance `GET /api/v3/exchangeInfo` (plain JSON, or
 * the cryptofeed capture format with lines `URL -> ts: <json>`) or Bybit v5
 * `/v5/market/instruments-info?category=spot`. Throws naming the file and the missing symbol.
 */
export function loadMarketRules(path: string, symbols: string[]): MarketRules[] {
  const text = readFileSync(path, 'utf8');
  const line = text.split('\n').find((l) => l.includes('exchangeInfo')) ?? text;
  const json = JSON.parse(line.slice(line.indexOf('{'))) as { symbols?: BinanceSymbolEntry[]; result?: { list?: BybitInstrument[] } };
  return symbols.map((symbol) => {
    const binance = json.symbols?.find((s) => s.symbol === symbol);
    if (binance) return rulesFromBinanceSymbol(binance);
    const bybit = json.result?.list?.find((s) => s.symbol === symbol);
    if (bybit) return rulesFromBybitInstrument(bybit);
    throw new Error(`${path}: no symbol ${symbol}`);
  });
}

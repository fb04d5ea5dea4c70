import { parseSymbol } from '@crossvenue/schemas';
import { type Logger } from '@crossvenue/runtime';
import type { BookProtocol } from '../native/BookProtocol.ts';
import { BinanceProtocol } from './binance/binanceProtocol.ts';
import { BybitProtocol } from './bybit/bybitProtocol.ts';
import { KrakenProtocol } from './kraken/krakenProtocol.ts';
import { OkxProtocol } from './okx/okxProtocol.ts';

/** The venues with a native book adapter, named as ccxt names them. */
export const NATIVE_VENUES = ['binance', 'binanceusdm', 'okx', 'bybit', 'kraken'] as const;
export type NativeVenue = (typeof NATIVE_VENUES)[number];

/** Production endpoints; a simulator or a local capture server replaces both. */
export const LIVE_ENDPOINTS: Record<NativeVenue, { wsUrl: string; restUrl: string }> = {
  binance: { wsUrl: 'wss://stream.binance.com:9443', restUrl: 'https://api.binance.com' },
  binanceusdm: { wsUrl: 'wss://fstream.binance.com', restUrl: 'https://fapi.binance.com' },
  okx: { wsUrl: 'wss://ws.okx.com:8443', restUrl: 'https://www.okx.com' },
  bybit: { wsUrl: 'wss://stream.bybit.com', restUrl: 'https://api.bybit.com' },
  // Spot ws v1 (the books need no REST snapshot; restUrl is only there for completeness).
  kraken: { wsUrl: 'wss://ws.kraken.com', restUrl: 'https://api.kraken.com' },
};

export interface NativeVenueSettings {
  kind: NativeVenue;
  /** Our name for the venue on the records (several of one kind may run); the kind when absent. */
  name?: string;
  wsUrl?: string;
  restUrl?: string;
  /** Venue symbols (BTCUSDT, BTC-USDT). */
  symbols: readonly string[];
  /** Levels per side in each published book. */
  depth: number;
}

export function isNativeVenue(kind: string): kind is NativeVenue {
  return (NATIVE_VENUES as readonly string[]).includes(kind);
}

export function bookProtocolFor(settings: NativeVenueSettings, logger: Logger): BookProtocol {
  const { kind, symbols, depth } = settings;
  const venue = settings.name ?? kind;
  const wsUrl = settings.wsUrl ?? LIVE_ENDPOINTS[kind].wsUrl;
  const restUrl = settings.restUrl ?? LIVE_ENDPOINTS[kind].restUrl;
  switch (kind) {
    case 'binance':
    case 'binanceusdm':
      return new BinanceProtocol({ venue, futures: kind === 'binanceusdm', wsUrl, restUrl, symbols, depth, logger });
    case 'okx':
      return new OkxProtocol({ venue, wsUrl, symbols, depth, logger });
    case 'bybit':
      return new BybitProtocol({ venue, wsUrl, symbols, depth, logger });
    case 'kraken':
      return new KrakenProtocol({ venue, wsUrl, symbols, depth, logger });
  }
}

/**
 * The venue's spelling of a unified symbol: BTC/USDT is BTCUSDT on Binance and Bybit, BTC-USDT
 * on OKX and XBT/USDT on Kraken; a USDT-settled perpetual (BTC/USDT:USDT) is BTCUSDT on Binance
 * USD-M and BTC-USDT-SWAP on OKX. Dated futures and options are not served by these adapters.
 */
export function venueSymbolOf(kind: NativeVenue, instrument: string): string {
  const { base, quote, settle, expiry } = parseSymbol(instrument);
  if (expiry) throw new Error(`${instrument}: dated futures and options have no native book adapter`);
  const perpetual = settle !== undefined;
  if (kind === 'binanceusdm' && !perpetual) throw new Error(`${instrument}: binanceusdm serves perpetuals, written BASE/QUOTE:SETTLE`);
  if ((kind === 'binance' || kind === 'bybit' || kind === 'kraken') && perpetual) throw new Error(`${instrument}: the ${kind} adapter serves spot, written BASE/QUOTE`);
  if (kind === 'okx') return `${base}-${quote}${perpetual ? '-SWAP' : ''}`;
  if (kind === 'kraken') return `${krakenAsset(base)}/${krakenAsset(quote)}`;
  return `${base}${quote}`;
}

/**
 * Kraken ws v1 pairs keep Kraken's own asset codes where they differ from the common ones: XBT for
 * bitcoin, XDG for dogecoin (the `wsname` of https://api.kraken.com/0/public/AssetPairs).
 */
const KRAKEN_ASSETS: ReadonlyMap<string, string> = new Map([
  ['BTC', 'XBT'],
  ['DOGE', 'XDG'],
]);

function krakenAsset(asset: string): string {
  return KRAKEN_ASSETS.get(asset) ?? asset;
}

import { CaptureFormatError, readCapture, replayBooks, type CapturedPayload } from '@crossvenue/connectors';
import { Decimal, type AssetType, type SymbolMetadata } from '@crossvenue/schemas';
import type { RecordedLevel, RecordedTrade } from '@crossvenue/simulator';
import { UsageError } from '../args.ts';

/** Book levels per side the replay venue follows (the published snapshots carry fewer: PUBLISHED_DEPTH). */
export const VENUE_DEPTH = 100;

/** One instrument of one recorded venue, with the rules derived from its recording. */
export interface RecordedInstrument {
  venue: string;
  instrument: string;
  venueSymbol: string;
  assetType: AssetType;
  base: string;
  quote: string;
  settle: string | null;
  priceTick: Decimal;
  quantityStep: Decimal;
}

export type RecordedEvent =
  | { kind: 'book'; atMs: number; venue: string; instrument: string; venueSymbol: string; sequence: number | null; venueTimeMs: number | null; bids: RecordedLevel[]; asks: RecordedLevel[] }
  | { kind: 'trade'; atMs: number; venue: string; instrument: string; trade: RecordedTrade };

/** What the data files hold, in receive-time order, ready to replay. */
export interface RecordedMarket {
  events: RecordedEvent[];
  instruments: RecordedInstrument[];
  /** Venue symbols the recording has books of but the backtest cannot trade, with why. */
  skipped: string[];
  startMs: number;
  endMs: number;
  /**
   * The recorded time the data covers: the gaps between consecutive events, each counted up to
   * MAX_GAP_MS (files recorded months apart are not months of data).
   */
  spanMs: number;
  bookEvents: number;
}

/** A longer gap between two recorded events is counted as this long in `spanMs`. */
const MAX_GAP_MS = 60_000;

/**
 * Reads capture and recording files: their books through the connectors' synchronizers
 * (replayBooks: the same books the live adapters would have had), their public trades (Binance
 * aggTrade, OKX trades) beside them, in receive-time order (books before trades at the same ms).
 * Instruments whose unified symbol cannot be told from the venue symbol alone (inverse contracts,
 * dated futures, quotes not in QUOTES) are skipped and listed.
 */
export async function loadRecordedMarket(files: readonly string[]): Promise<RecordedMarket> {
  const books: RecordedEvent[] = [];
  const skipped = new Map<string, string>();
  const instruments = new Map<string, RecordedInstrument>();
  const decimals = new Map<string, { price: number; quantity: number }>();
  try {
    await replayBooks([...files], VENUE_DEPTH, (event) => {
      if (event.type !== 'book') return;
      const key = `${event.venue} ${event.symbol}`;
      let known = instruments.get(key);
      if (!known && !skipped.has(key)) {
        const unified = unify(event.venue, event.symbol);
        if (typeof unified === 'string') skipped.set(key, `${key}: ${unified}`);
        else instruments.set(key, (known = { venue: event.venue, venueSymbol: event.symbol, ...unified, priceTick: new Decimal(1), quantityStep: new Decimal(1) }));
      }
      if (!known) return;
      const places = decimals.get(key) ?? { price: 0, quantity: 0 };
      for (const side of [event.bids, event.asks]) {
        for (const [price, quantity] of side) {
          places.price = Math.max(places.price, decimalPlaces(price));
          places.quantity = Math.max(places.quantity, decimalPlaces(quantity));
        }
      }
      decimals.set(key, places);
      const { receivedAtMs: atMs, venue, sequence, venueTimeMs, bids, asks } = event;
      books.push({ kind: 'book', atMs, venue, instrument: known.instrument, venueSymbol: event.symbol, sequence, venueTimeMs, bids, asks });
    });
  } catch (error) {
    if (error instanceof CaptureFormatError) throw new UsageError(error.message);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`cannot read ${(error as NodeJS.ErrnoException).path}`);
    throw error;
  }
  // The rules: the finest price and quantity steps the recording shows (recordings pad decimals
  // with zeros, so trailing zeros do not count). A real venue's tick or lot can only be as fine or
  // finer: orders on these steps are always valid there, if sometimes coarser than needed.
  for (const [key, instrument] of instruments) {
    const places = decimals.get(key)!;
    instrument.priceTick = new Decimal(10).pow(-places.price);
    instrument.quantityStep = new Decimal(10).pow(-places.quantity);
  }
  const bySymbol = new Map([...instruments.values()].map((known) => [`${known.venue} ${known.venueSymbol}`, known]));
  const trades: RecordedEvent[] = [];
  for (const file of files) {
    for await (const payload of readCapture(file)) {
      for (const trade of recordedTrades(payload)) {
        const known = bySymbol.get(`${trade.venue} ${trade.venueSymbol}`);
        if (known) trades.push({ kind: 'trade', atMs: payload.receivedAtMs, venue: known.venue, instrument: known.instrument, trade: trade.trade });
      }
    }
  }
  // Stable: books in the order replayBooks gave them, then trades.
  const events = [...books, ...trades].sort((a, b) => a.atMs - b.atMs);
  if (books.length === 0) {
    throw new UsageError(`--data: no book of a tradable instrument in ${files.join(', ')}${skipped.size > 0 ? ` (skipped: ${[...skipped.values()].join('; ')})` : ''}`);
  }
  let spanMs = 0;
  for (let i = 1; i < events.length; i++) spanMs += Math.min(MAX_GAP_MS, events[i]!.atMs - events[i - 1]!.atMs);
  return { events, instruments: [...instruments.values()], skipped: [...skipped.values()], startMs: events[0]!.atMs, endMs: events.at(-1)!.atMs, spanMs, bookEvents: books.length };
}

/** The rules a replay venue publishes for an instrument, as a connector would from the venue's market list. */
export function symbolMetadataOf(instrument: RecordedInstrument, fees: { maker: Decimal; taker: Decimal }, atMs: number): SymbolMetadata {
  const { venue, venueSymbol, assetType, base, quote, settle, priceTick, quantityStep } = instrument;
  return {
    eventId: `${venue}:${instrument.instrument}:rules`,
    venue,
    instrument: instrument.instrument,
    venueSymbol,
    assetType,
    base,
    quote,
    settle,
    active: true,
    contractSize: assetType === 'SPOT' ? null : '1',
    inverse: false,
    expiryMs: null,
    strike: null,
    optionKind: null,
    minQuantity: quantityStep.toFixed(),
    maxQuantity: null,
    maxMarketQuantity: null,
    quantityStep: quantityStep.toFixed(),
    minPrice: priceTick.toFixed(),
    maxPrice: null,
    priceTick: priceTick.toFixed(),
    minNotional: null,
    maxNotional: null,
    orderTypes: ['LIMIT', 'MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK'],
    postOnly: true,
    reduceOnly: false,
    iceberg: false,
    makerFee: fees.maker.toFixed(),
    takerFee: fees.taker.toFixed(),
    receivedAtMs: atMs,
  };
}

/** Quote currencies a concatenated venue symbol (NKNUSDT) may end with, longest first. */
const QUOTES = ['FDUSD', 'USDT', 'USDC', 'BUSD', 'TUSD', 'BTC', 'ETH', 'BNB', 'EUR', 'USD', 'GBP', 'TRY', 'DAI', 'BRL', 'AUD'];

/** The unified symbol of a venue symbol, or why it cannot be traded in a backtest. */
function unify(venue: string, symbol: string): Pick<RecordedInstrument, 'instrument' | 'assetType' | 'base' | 'quote' | 'settle'> | string {
  if (venue === 'binance' || venue === 'binanceusdm' || venue === 'bybit') {
    const quote = QUOTES.find((candidate) => symbol.endsWith(candidate) && symbol.length > candidate.length);
    if (!quote) return `no known quote currency at the end of ${symbol}`;
    const base = symbol.slice(0, -quote.length);
    // Bybit recordings do not say spot or linear; they are read as spot.
    if (venue === 'binanceusdm') return { instrument: `${base}/${quote}:${quote}`, assetType: 'PERP', base, quote, settle: quote };
    return { instrument: `${base}/${quote}`, assetType: 'SPOT', base, quote, settle: null };
  }
  if (venue === 'okx') {
    const [base, quote, kind, ...rest] = symbol.split('-');
    if (!base || !quote || rest.length > 0) return `not an OKX spot or swap symbol`;
    if (kind === undefined) return { instrument: `${base}/${quote}`, assetType: 'SPOT', base, quote, settle: null };
    if (kind === 'SWAP' && quote !== 'USD') return { instrument: `${base}/${quote}:${quote}`, assetType: 'PERP', base, quote, settle: quote };
    return 'inverse contracts and dated futures are not modelled';
  }
  if (venue === 'kraken') {
    const [base, quote] = symbol.split('/').map((currency) => (currency === 'XBT' ? 'BTC' : currency));
    if (!base || !quote) return 'not a Kraken pair';
    return { instrument: `${base}/${quote}`, assetType: 'SPOT', base, quote, settle: null };
  }
  return 'inverse (coin-margined) contracts are not modelled';
}

/** Public trades in one payload (Binance aggTrade, OKX v5 trades): the aggressor's side. */
function recordedTrades({ kind, url, payload, dialect }: CapturedPayload): Array<{ venue: string; venueSymbol: string; trade: RecordedTrade }> {
  if (kind !== 'ws') return [];
  const message = payload as { data?: unknown; arg?: { channel?: string } };
  const data = (message.data ?? payload) as { e?: string; s?: string; p?: string; q?: string; m?: boolean };
  if (data.e === 'aggTrade' && data.s && data.p && data.q) {
    // m: the buyer was the maker, so the seller took.
    return [{ venue: dialect ?? binanceVenueOf(url), venueSymbol: data.s, trade: { side: data.m ? 'SELL' : 'BUY', price: new Decimal(data.p), quantity: new Decimal(data.q) } }];
  }
  if (message.arg?.channel === 'trades' && Array.isArray(message.data)) {
    return (message.data as Array<{ instId: string; px: string; sz: string; side: string }>).map((trade) => ({
      venue: 'okx',
      venueSymbol: trade.instId,
      trade: { side: trade.side === 'sell' ? 'SELL' : 'BUY', price: new Decimal(trade.px), quantity: new Decimal(trade.sz) },
    }));
  }
  return [];
}

/** The venue name replayBooks gives a Binance host's books. */
function binanceVenueOf(url: string): string {
  const host = new URL(url).hostname;
  if (host.startsWith('fapi.') || host.startsWith('fstream.')) return 'binanceusdm';
  if (host.startsWith('dapi.') || host.startsWith('dstream.')) return 'binancecoinm';
  return 'binance';
}

/** Decimal places of a decimal string, trailing zeros not counted (recordings and venues pad them). */
export function decimalPlaces(value: string): number {
  const point = value.indexOf('.');
  if (point < 0) return 0;
  let end = value.length;
  while (end > point + 1 && value.charCodeAt(end - 1) === 48) end--;
  return end - point - 1;
}

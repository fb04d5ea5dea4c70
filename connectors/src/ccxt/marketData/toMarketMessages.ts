import { randomUUID } from 'node:crypto';
import type { BookSnapshot, FundingRate, PriceLevel, Trade } from '@crossvenue/schemas';
import type { FundingRate as CcxtFundingRate, MarketInterface as CcxtMarket, OrderBook, Trade as CcxtTrade } from 'ccxt';
import { fromCcxtNumber, fromOptionalCcxtNumber } from '../ccxtValues.ts';
import { toBase, type ContractTerms } from '../contractUnits.ts';

/**
 * Where a message came from: our venue name and the ccxt market (unified symbol and venue id, and
 * its contract terms: a linear contract's amounts are contracts, published in the base asset).
 */
export interface MarketSource {
  venue: string;
  market: Pick<CcxtMarket, 'id'> & ContractTerms;
  receivedAtMs: number;
}

/**
 * The top `depth` levels of a ccxt order book (https://docs.ccxt.com/#/README?id=order-book-structure),
 * quantities in the base asset (contractUnits.ts).
 * `nonce` is the venue's book sequence where ccxt keeps one (Binance lastUpdateId / `u`); ccxt
 * leaves it undefined for others (Bybit), and so do we.
 */
export function bookSnapshotOf(book: Pick<OrderBook, 'bids' | 'asks' | 'nonce' | 'timestamp'>, depth: number, source: MarketSource): BookSnapshot {
  return {
    eventId: randomUUID(),
    venue: source.venue,
    instrument: source.market.symbol,
    venueSymbol: String(source.market.id),
    sequence: integerOrNull(book.nonce),
    venueTimeMs: integerOrNull(book.timestamp),
    receivedAtMs: source.receivedAtMs,
    bids: levelsOf(book.bids, depth, 'bid', source.market),
    asks: levelsOf(book.asks, depth, 'ask', source.market),
  };
}

function integerOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isSafeInteger(value) ? value : null;
}

function levelsOf(levels: ReadonlyArray<readonly [number | undefined, number | undefined]>, depth: number, side: string, market: ContractTerms): PriceLevel[] {
  return levels.slice(0, depth).map(([price, quantity]) => ({
    price: fromCcxtNumber(price, `${side} price`),
    quantity: toBase(market, fromCcxtNumber(quantity, `${side} quantity`)).toFixed(),
  }));
}

/** A public trade (https://docs.ccxt.com/#/README?id=trade-structure), its quantity in the base asset; ccxt's `side` is the taker's. */
export function publicTradeOf(trade: CcxtTrade, source: MarketSource): Trade {
  if (!trade.id || trade.timestamp === undefined || (trade.side !== 'buy' && trade.side !== 'sell')) {
    throw new Error(`ccxt trade on ${source.market.symbol}: missing id, timestamp or side (id ${String(trade.id)})`);
  }
  return {
    eventId: randomUUID(),
    venue: source.venue,
    instrument: source.market.symbol,
    venueSymbol: String(source.market.id),
    venueTradeId: String(trade.id),
    price: fromCcxtNumber(trade.price, 'trade price'),
    quantity: toBase(source.market, fromCcxtNumber(trade.amount, 'trade amount')).toFixed(),
    aggressorSide: trade.side === 'buy' ? 'BUY' : 'SELL',
    venueTimeMs: trade.timestamp,
    receivedAtMs: source.receivedAtMs,
  };
}

/**
 * A funding rate (https://docs.ccxt.com/#/README?id=funding-rate-structure). ccxt's `fundingRate`
 * is the rate settled at `fundingTimestamp` (Binance nextFundingTime, OKX fundingTime). ccxt
 * 4.5.84 drops the time of some pushes (OKX `ts`); the message needs one, so our receive time
 * stands in for it then.
 */
export function fundingRateOf(rate: CcxtFundingRate, source: MarketSource): FundingRate {
  if (rate.fundingTimestamp === undefined) throw new Error(`ccxt funding rate of ${source.market.symbol}: no fundingTimestamp`);
  return {
    eventId: randomUUID(),
    venue: source.venue,
    instrument: source.market.symbol,
    venueSymbol: String(source.market.id),
    rate: fromCcxtNumber(rate.fundingRate, `funding rate of ${source.market.symbol}`),
    nextFundingTimeMs: rate.fundingTimestamp,
    fundingIntervalMs: intervalMs(rate.interval),
    markPrice: fromOptionalCcxtNumber(rate.markPrice),
    indexPrice: fromOptionalCcxtNumber(rate.indexPrice),
    venueTimeMs: rate.timestamp ?? source.receivedAtMs,
    receivedAtMs: source.receivedAtMs,
  };
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * ccxt writes the funding interval as a timeframe: '8h', '1h', '30m'. A zero interval is unknown:
 * ccxt 4.5.84 writes '0h' for a Bybit ticker push, which names it `fundingIntervalHour`.
 */
function intervalMs(interval: string | undefined): number | null {
  const match = /^(\d+)([mhd])$/.exec(interval ?? '');
  const ms = match ? Number(match[1]) * UNIT_MS[match[2]!]! : 0;
  return ms > 0 ? ms : null;
}

import {
  DECIMAL_STRING,
  Decimal,
  InvalidInputError,
  parseAccountId,
  parsePortfolioId,
  parseSymbol,
  parseVenueId,
  type Side,
} from '@crossvenue/schemas';
import type { PositionFill } from '@crossvenue/processors';

/**
 * One line of a fills file (NDJSON), as `crossvenue positions replay` reads it:
 *   {"venue":"binance","account":"main","symbol":"BTC/USDT","side":"BUY","price":"64000.5","qty":"0.01",
 *    "fee":"0.64","feeCurrency":"USDT","tradeId":"12345","ts":1700000000000,"portfolio":"desk"}
 * Amounts are decimal strings; ts is epoch ms; portfolio defaults to "default". A bad line throws an
 * InvalidInputError whose message says which field and what is wrong, e.g. `price "abc" is not a decimal`.
 */
export function parseFillLine(line: string): PositionFill {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    throw new InvalidInputError(`not JSON (${(error as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InvalidInputError('expected one JSON object per line');
  const record = raw as Record<string, unknown>;
  const symbol = text(record, 'symbol');
  parseSymbol(symbol);
  return {
    portfolio: record.portfolio === undefined ? 'default' : parsePortfolioId(record.portfolio),
    venue: parseVenueId(record.venue),
    account: parseAccountId(record.account),
    instrument: symbol,
    side: side(record.side),
    price: amount(record, 'price', 'positive'),
    quantity: amount(record, 'qty', 'positive'),
    fee: amount(record, 'fee', 'any'),
    feeCurrency: text(record, 'feeCurrency'),
    tradeId: text(record, 'tradeId'),
    venueTimeMs: epochMs(record.ts),
  };
}

function text(record: Record<string, unknown>, name: string): string {
  const value = record[name];
  if (value === undefined) throw new InvalidInputError(`${name} is missing`);
  if (typeof value !== 'string' || value === '') throw new InvalidInputError(`${name} ${JSON.stringify(value)} is not a non-empty string`);
  return value;
}

function side(value: unknown): Side {
  const upper = typeof value === 'string' ? value.toUpperCase() : value;
  if (upper === 'BUY' || upper === 'SELL') return upper;
  throw new InvalidInputError(`side ${JSON.stringify(value) ?? 'missing'} is not BUY or SELL`);
}

function amount(record: Record<string, unknown>, name: string, sign: 'positive' | 'any'): Decimal {
  const value = record[name];
  if (value === undefined) throw new InvalidInputError(`${name} is missing`);
  if (typeof value === 'number') throw new InvalidInputError(`${name} ${value} is a number; write amounts as decimal strings ("${value}")`);
  if (typeof value !== 'string' || !DECIMAL_STRING.test(value)) throw new InvalidInputError(`${name} ${JSON.stringify(value)} is not a decimal`);
  const parsed = new Decimal(value);
  if (sign === 'positive' && parsed.lte(0)) throw new InvalidInputError(`${name} "${value}" must be positive`);
  return parsed;
}

function epochMs(value: unknown): number {
  const parsed = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof parsed === 'number' && Number.isSafeInteger(parsed) && parsed >= 0) return parsed;
  throw new InvalidInputError(`ts ${JSON.stringify(value) ?? 'missing'} is not epoch milliseconds (a non-negative integer)`);
}

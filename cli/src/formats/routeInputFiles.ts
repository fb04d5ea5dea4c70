import { Decimal, InvalidInputError, parseDecimal, parseVenueId } from '@crossvenue/schemas';
import { DEFAULT_FEES, type BookLevel, type VenueCandidate } from '@crossvenue/processors';

/**
 * The files of `crossvenue route`. Books: venue -> { "bids": [[price, quantity], ...], "asks": [...] }
 * with decimal strings, best first, and optionally the venue's rules and the account's balance:
 * "quantityStep", "priceTick", "minQuantity", "maxQuantity", "minNotional", "available" (quote
 * balance for a buy, base balance for a sell). Fees: venue -> { "taker": "0.001", "maker": "0.0008" };
 * a venue the fees file leaves out gets DEFAULT_FEES. Every error names the file and the field, in one line.
 */

const RULE_FIELDS = ['quantityStep', 'priceTick', 'minQuantity', 'maxQuantity', 'minNotional'] as const;
const BOOK_FIELDS = new Set<string>(['bids', 'asks', 'available', ...RULE_FIELDS]);

export type Fees = ReadonlyMap<string, { taker: Decimal; maker: Decimal }>;

export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidInputError(`${file}: not JSON (${(error as Error).message.replace(/\s+/g, ' ')})`);
  }
}

function objectAt(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidInputError(`${where}: expected an object`);
  return value as Record<string, unknown>;
}

function levelsAt(value: unknown, where: string, side: 'bids' | 'asks'): BookLevel[] {
  if (!Array.isArray(value)) throw new InvalidInputError(`${where}: expected an array of [price, quantity]`);
  const levels = value.map((row: unknown, i) => {
    const at = `${where}[${i}]`;
    if (!Array.isArray(row) || row.length !== 2) throw new InvalidInputError(`${at}: expected [price, quantity]`);
    const level = { price: parseDecimal(row[0], `${at} price`), quantity: parseDecimal(row[1], `${at} quantity`) };
    if (level.price.lte(0) || level.quantity.lte(0)) throw new InvalidInputError(`${at}: price and quantity must be positive`);
    return level;
  });
  levels.forEach((level, i) => {
    const previous = levels[i - 1];
    if (previous && (side === 'asks' ? level.price.lte(previous.price) : level.price.gte(previous.price))) {
      throw new InvalidInputError(`${where}[${i}]: ${side} must be best first (${side === 'asks' ? 'rising' : 'falling'} prices)`);
    }
  });
  return levels;
}

function venueIdIn(file: string, name: string): string {
  try {
    return parseVenueId(name);
  } catch (error) {
    throw new InvalidInputError(`${file}: ${(error as Error).message}`);
  }
}

export function parseBooksFile(json: unknown, file: string, fees: Fees): VenueCandidate[] {
  return Object.entries(objectAt(json, file)).map(([name, raw]) => {
    const where = `${file}: ${name}`;
    const venue = venueIdIn(file, name);
    const book = objectAt(raw, where);
    const unknown = Object.keys(book).find((key) => !BOOK_FIELDS.has(key));
    if (unknown) throw new InvalidInputError(`${where}.${unknown}: unknown field; expected ${[...BOOK_FIELDS].join(', ')}`);
    const optional = (key: string) => (book[key] === undefined ? null : parseDecimal(book[key], `${where}.${key}`));
    const rules = Object.fromEntries(RULE_FIELDS.map((key) => [key, optional(key)])) as Record<(typeof RULE_FIELDS)[number], Decimal | null>;
    const fee = fees.get(venue) ?? DEFAULT_FEES;
    return {
      venue,
      account: 'default',
      bids: levelsAt(book.bids ?? [], `${where}.bids`, 'bids'),
      asks: levelsAt(book.asks ?? [], `${where}.asks`, 'asks'),
      rules: { active: true, ...rules },
      takerFee: fee.taker,
      makerFee: fee.maker,
      available: optional('available'),
      condition: { state: 'HEALTHY', reason: '', latencyP50Ms: null, bookStalenessMs: null, errorRate: new Decimal(0), rejectRate: new Decimal(0) },
    };
  });
}

export function parseFeesFile(json: unknown, file: string): Fees {
  return new Map(
    Object.entries(objectAt(json, file)).map(([venue, raw]) => {
      const fee = objectAt(raw, `${file}: ${venue}`);
      return [venue, { taker: parseDecimal(fee.taker, `${file}: ${venue}.taker`), maker: parseDecimal(fee.maker, `${file}: ${venue}.maker`) }];
    }),
  );
}

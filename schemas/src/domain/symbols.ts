import { InvalidInputError } from './errors.ts';
import type { Brand } from './ids.ts';

/**
 * Unified symbols as ccxt writes them (https://docs.ccxt.com/#/README?id=contract-naming-conventions):
 *   BTC/USDT                     spot and margin
 *   BTC/USDT:USDT                perpetual swap, settled in USDT
 *   BTC/USD:BTC-220520           future expiring on 2022-05-20 (YYMMDD)
 *   BTC/USD:BTC-220520-22000-C   option: expiry, strike, C(all) or P(ut)
 */
export type UnifiedSymbol = Brand<'UnifiedSymbol'>;

export interface SymbolParts {
  base: string;
  quote: string;
  settle?: string;
  /** YYMMDD, as ccxt writes it. */
  expiry?: string;
  strike?: string;
  optionType?: 'C' | 'P';
}

const CODE = '[A-Za-z0-9][A-Za-z0-9._]*';
const SYMBOL = new RegExp(`^(${CODE})/(${CODE})(?::(${CODE})(?:-(\\d{6})(?:-(\\d+(?:\\.\\d+)?)-([CP]))?)?)?$`);
const PART_NAMES = ['base', 'quote', 'settle', 'expiry', 'strike', 'optionType'] as const;
const FORMS = 'BASE/QUOTE, BASE/QUOTE:SETTLE, BASE/QUOTE:SETTLE-YYMMDD or BASE/QUOTE:SETTLE-YYMMDD-STRIKE-C|P';

export function parseSymbol(raw: unknown): SymbolParts {
  const match = typeof raw === 'string' ? SYMBOL.exec(raw) : null;
  if (!match) throw new InvalidInputError(`invalid symbol ${JSON.stringify(raw) ?? String(raw)}: expected ${FORMS}, e.g. BTC/USDT`);
  const [, base = '', quote = '', settle, expiry, strike, optionType] = match;
  return {
    base,
    quote,
    ...(settle && { settle }),
    ...(expiry && { expiry }),
    ...(strike && { strike }),
    ...(optionType && { optionType: optionType as 'C' | 'P' }),
  };
}

/** Writes the parts as a unified symbol; refuses parts that would not parse back to themselves. */
export function formatSymbol(parts: SymbolParts): UnifiedSymbol {
  const suffix = [parts.expiry, parts.strike, parts.optionType].filter((part) => part !== undefined).join('-');
  const symbol = `${parts.base}/${parts.quote}${parts.settle ? `:${parts.settle}` : ''}${suffix ? `-${suffix}` : ''}`;
  const parsed = SYMBOL.test(symbol) ? parseSymbol(symbol) : undefined;
  if (!parsed || PART_NAMES.some((name) => parsed[name] !== parts[name])) {
    throw new InvalidInputError(`cannot write ${JSON.stringify(parts)} as a unified symbol: expected ${FORMS}`);
  }
  return symbol as UnifiedSymbol;
}

export function validateSymbol(raw: unknown): UnifiedSymbol {
  parseSymbol(raw);
  return raw as UnifiedSymbol;
}

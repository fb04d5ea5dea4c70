import { readFile } from 'node:fs/promises';
import { Decimal, formatDecimal, parseSymbol, type Side } from '@crossvenue/schemas';
import type { OrderRequest, Strategy, StrategyContext } from '@crossvenue/processors';
import { UsageError } from '../args.ts';

/** One line of an intents file: an order placed `at` ms after the first recorded book of its instrument. */
export interface ScriptedIntent {
  line: number;
  at: number;
  order: OrderRequest;
}

const KEYS = ['at', 'instrument', 'side', 'amount', 'limitPrice', 'timeInForce', 'venues'];

/**
 * Reads an intents file (JSONL, one intent a line; blank lines and lines starting with # skipped):
 *
 *   {"at": 1500, "instrument": "NKN/USDT", "side": "BUY", "amount": "100", "limitPrice": "0.3530", "timeInForce": "IOC", "venues": ["binance"]}
 *
 * `at` is a whole number of ms after the first recorded book of the intent's instrument (so files
 * recorded on different days each start at 0 for their instruments); `amount` is in the base
 * currency; `limitPrice` (omitted or null: a market order), `timeInForce` (GTC, IOC, FOK; IOC
 * unless given; GTC needs a limit price) and `venues` (the router may use only these) are optional.
 * A bad line is refused with one line naming the file and line. Intents due at the same time are
 * placed in file order.
 */
export async function readIntentsFile(path: string): Promise<ScriptedIntent[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--intents: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const intents: ScriptedIntent[] = [];
  text.split('\n').forEach((raw, index) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const where = `${path}:${index + 1}`;
    try {
      intents.push({ line: index + 1, ...parseIntent(JSON.parse(text) as unknown) });
    } catch (error) {
      throw new UsageError(`${where}: ${error instanceof SyntaxError ? `not JSON (${error.message})` : (error as Error).message}`);
    }
  });
  if (intents.length === 0) throw new UsageError(`--intents: ${path} has no intent`);
  return intents;
}

function parseIntent(raw: unknown): Omit<ScriptedIntent, 'line'> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('expected a JSON object');
  const record = raw as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !KEYS.includes(key));
  if (unknown.length > 0) throw new Error(`unknown ${unknown.join(', ')} (known: ${KEYS.join(', ')})`);
  const { at, instrument, side, amount, limitPrice, timeInForce, venues } = record;
  if (!Number.isInteger(at) || (at as number) < 0) throw new Error(`at must be a whole number of ms ≥ 0 after the instrument's first book, got ${JSON.stringify(at)}`);
  if (typeof instrument !== 'string') throw new Error(`instrument must be a unified symbol such as BTC/USDT, got ${JSON.stringify(instrument)}`);
  parseSymbol(instrument);
  if (side !== 'BUY' && side !== 'SELL') throw new Error(`side must be BUY or SELL, got ${JSON.stringify(side)}`);
  const order: OrderRequest = { instrument, side: side as Side, amount: positive(amount, 'amount') };
  if (limitPrice !== undefined && limitPrice !== null) order.limitPrice = positive(limitPrice, 'limitPrice');
  if (timeInForce !== undefined) {
    if (timeInForce !== 'GTC' && timeInForce !== 'IOC' && timeInForce !== 'FOK') throw new Error(`timeInForce must be GTC, IOC or FOK, got ${JSON.stringify(timeInForce)}`);
    if (timeInForce === 'GTC' && order.limitPrice === undefined) throw new Error('a GTC intent needs a limitPrice');
    order.timeInForce = timeInForce;
  }
  if (venues !== undefined) {
    if (!Array.isArray(venues) || venues.length === 0 || venues.some((venue) => typeof venue !== 'string' || venue === '')) {
      throw new Error(`venues must be a non-empty list of venue names, got ${JSON.stringify(venues)}`);
    }
    order.venues = venues as string[];
  }
  return { at: at as number, order };
}

function positive(raw: unknown, name: string): string {
  if (typeof raw !== 'string' || !/^\d+(\.\d+)?$/.test(raw) || !new Decimal(raw).gt(0)) throw new Error(`${name} must be a positive decimal string such as "0.5", got ${JSON.stringify(raw)}`);
  return formatDecimal(new Decimal(raw));
}

/**
 * The intents of a file as a strategy: on every tick of the run's clock it places the intents whose
 * time has come, in file order. So a scripted run goes through the same StrategyRunner (intent ids,
 * source STRATEGY) as a strategy's.
 */
export class ScriptedIntents implements Strategy {
  readonly instruments: readonly string[];
  readonly timerMs = 1;
  private next = 0;

  private readonly due: ReadonlyArray<{ atMs: number; order: OrderRequest }>;

  /** `startOf`: the run-clock time of an instrument's first recorded book. */
  constructor(intents: readonly ScriptedIntent[], startOf: (instrument: string) => number) {
    this.instruments = [...new Set(intents.map((intent) => intent.order.instrument))];
    this.due = intents.map(({ at, order }) => ({ atMs: startOf(order.instrument) + at, order })).sort((a, b) => a.atMs - b.atMs);
  }

  /** When each intent is due, in the run's clock. */
  times(): number[] {
    return this.due.map((intent) => intent.atMs);
  }

  async onTimer(context: StrategyContext): Promise<void> {
    while (this.next < this.due.length && this.due[this.next]!.atMs <= context.now()) await context.place(this.due[this.next++]!.order);
  }
}

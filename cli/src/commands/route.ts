import { readFileSync } from 'node:fs';
import {
  Decimal,
  formatDecimal,
  InvalidInputError,
  parseSymbol,
  type AmountType,
  type Side,
  type TimeInForce,
  TimeInForceSchema,
} from '@crossvenue/schemas';
import { DEFAULT_FEES, routeOrder, planFigures, type RoutePlan } from '@crossvenue/processors';
import { parseArgs, UsageError } from '../args.ts';
import { parseBooksFile, parseFeesFile, parseJsonFile, type Fees } from '../formats/routeInputFiles.ts';


export const HELP = `usage: crossvenue route --books <file> --symbol S --side buy|sell --amount A
         [--amount-type base|quote] [--limit P] [--tif IOC|FOK|GTC|DAY] [--post-only] [--fees <file>] [--json]
  exit 2: a bad option; exit 1: a books or fees file that is missing or malformed`;

/**
 * `crossvenue route`: the router's plan for one order against books from a file, with the legs,
 * the total expected cost and every candidate that was not chosen, with the reason.
 */
export async function routeCommand(argv: string[]): Promise<number> {
  const { positionals, options, flags } = parseArgs(argv, {
    valued: ['books', 'fees', 'symbol', 'side', 'amount', 'amount-type', 'limit', 'tif'],
    flags: ['json', 'post-only'],
  });
  if (positionals.length > 0) throw new UsageError(`route takes only options, got "${positionals[0]}"; run 'crossvenue route --help'`);
  const required = (name: string) => {
    const value = options.get(name);
    if (value === undefined) throw new UsageError(`route: --${name} is required; run 'crossvenue route --help'`);
    return value;
  };
  const symbol = required('symbol');
  const quote = (() => {
    try {
      return parseSymbol(symbol).quote;
    } catch (error) {
      throw new UsageError(`route: --symbol: ${(error as Error).message}`);
    }
  })();
  const side = sideOf(required('side'));
  const amount = positive('amount', required('amount'));
  const amountType = amountTypeOf(options.get('amount-type') ?? 'base');
  const limitPrice = options.has('limit') ? positive('limit', options.get('limit')!) : null;
  const timeInForce = timeInForceOf(options.get('tif') ?? (flags.has('post-only') ? 'GTC' : 'IOC'));
  const booksFile = required('books');
  const feesFile = options.get('fees');

  let plan: RoutePlan;
  let fees: Fees;
  try {
    fees = feesFile === undefined ? new Map() : parseFeesFile(parseJsonFile(read(feesFile), feesFile), feesFile);
    const candidates = parseBooksFile(parseJsonFile(read(booksFile), booksFile), booksFile, fees);
    const request = { intentId: 'cli', portfolio: 'cli', instrument: symbol, side, amount, amountType, limitPrice, timeInForce, postOnly: flags.has('post-only') };
    plan = routeOrder(request, candidates);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    console.error(`crossvenue: ${error.message}`);
    return 1;
  }
  const defaulted = plan.candidates.map((candidate) => candidate.venue).filter((venue) => !fees.has(venue));
  if (flags.has('json')) console.log(JSON.stringify(planJson(plan, quote, defaulted), null, 2));
  else printPlan(plan, quote, defaulted);
  return 0;
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

function sideOf(raw: string): Side {
  if (raw === 'buy' || raw === 'sell') return raw === 'buy' ? 'BUY' : 'SELL';
  throw new UsageError(`route: --side must be buy or sell, got "${raw}"`);
}

function amountTypeOf(raw: string): AmountType {
  if (raw === 'base' || raw === 'quote') return raw === 'base' ? 'BASE' : 'QUOTE';
  throw new UsageError(`route: --amount-type must be base or quote, got "${raw}"`);
}

function timeInForceOf(raw: string): TimeInForce {
  const upper = raw.toUpperCase();
  if (upper !== 'GTD' && (TimeInForceSchema.symbols as readonly string[]).includes(upper)) return upper as TimeInForce;
  throw new UsageError(`route: --tif must be IOC, FOK, GTC or DAY, got "${raw}"`);
}

function positive(name: string, raw: string): Decimal {
  const value = /^\d+(\.\d+)?$/.test(raw) ? new Decimal(raw) : null;
  if (value === null || value.lte(0)) throw new UsageError(`route: --${name} must be a positive decimal, got "${raw}"`);
  return value;
}

function planJson(plan: RoutePlan, quote: string, defaulted: string[]) {
  const decision = planFigures(plan);
  return {
    instrument: plan.request.instrument,
    side: plan.request.side,
    amount: formatDecimal(plan.request.amount),
    amountType: plan.request.amountType,
    legs: plan.legs.map((leg, i) => ({ ...decision.legs[i]!, expectedCost: formatDecimal(leg.expectedCost) })),
    totalExpectedCost: decision.totalExpectedCost,
    costCurrency: quote,
    routedQuantity: decision.quantity,
    unroutedAmount: formatDecimal(plan.unroutedAmount),
    candidates: decision.candidates,
    defaultFees: { taker: formatDecimal(DEFAULT_FEES.taker), maker: formatDecimal(DEFAULT_FEES.maker), venues: defaulted },
  };
}

/** Money for people: 8 decimals at most, the exact figures are in --json. */
function shown(value: Decimal): string {
  return formatDecimal(value.toDecimalPlaces(8));
}

function printPlan(plan: RoutePlan, quote: string, defaulted: string[]): void {
  const { request } = plan;
  const unit = request.amountType === 'QUOTE' ? quote : 'base';
  console.log(`${request.side} ${formatDecimal(request.amount)} ${unit} of ${request.instrument}, ${request.timeInForce}${request.postOnly ? ' post-only' : ''}`);
  const rows = [
    ['leg', 'venue', 'account', 'quantity', 'limit', 'avg price', `fee ${quote}`, `cost ${quote}`],
    ...plan.legs.map((leg) => [
      String(leg.leg),
      leg.venue,
      leg.account,
      formatDecimal(leg.quantity),
      formatDecimal(leg.limitPrice),
      shown(leg.expectedAveragePrice),
      shown(leg.expectedFee),
      shown(leg.expectedCost),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
  if (plan.legs.length === 0) console.log('(no legs)');
  console.log(`total expected cost: ${shown(plan.totalExpectedCost)} ${quote} (negative: net proceeds of a sell)`);
  console.log(`unrouted: ${formatDecimal(plan.unroutedAmount)} ${unit}`);
  const rejected = plan.candidates.filter((candidate) => !candidate.chosen);
  if (rejected.length > 0) console.log('not chosen:');
  for (const candidate of rejected) console.log(`  ${candidate.venue}/${candidate.account}: ${candidate.reason}`);
  if (defaulted.length > 0) {
    console.log(`default fees (taker ${formatDecimal(DEFAULT_FEES.taker)}, maker ${formatDecimal(DEFAULT_FEES.maker)}) for: ${defaulted.join(', ')}`);
  }
}

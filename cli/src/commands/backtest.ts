import { writeFile, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { backtestsFolder, BACKTESTS_DIR_KEY, DEFAULT_BACKTESTS_DIR } from '@crossvenue/gateway';
import { Decimal, InvalidInputError, parseDecimal, parsePortfolioId } from '@crossvenue/schemas';
import type { Strategy } from '@crossvenue/processors';
import { createLogger, SettingError } from '@crossvenue/runtime';
import { FILL_MODELS, type FillModelName } from '@crossvenue/simulator';
import { parseArgs, UsageError } from '../args.ts';
import { runBacktest, type BacktestResult, type VenueSettings } from '../backtest/BacktestRun.ts';
import { htmlReport } from '../backtest/htmlReport.ts';
import { readIntentsFile, ScriptedIntents } from '../backtest/intentsFile.ts';
import { loadRecordedMarket, type RecordedInstrument, type RecordedMarket } from '../backtest/RecordedMarket.ts';
import { pnlPlaces, saveRun } from '../backtest/savedRuns.ts';
import { loadStrategy, strategyNameOf } from '../strategy/loadStrategy.ts';

const DEFAULT_LATENCY_MS = 20;
const DEFAULT_FEES = { maker: '0.0002', taker: '0.0005' };

export const HELP = `usage: crossvenue backtest --data FILE[,FILE…] [FILE…] (--strategy MODULE [--settings JSON_FILE] | --intents JSONL_FILE)
                          [--seed N] [--latency VENUE=INSERT_MS[/CANCEL_MS],…] [--fees VENUE=MAKER/TAKER,…]
                          [--fill-model book|probabilistic] [--touch-probability P] [--portfolio P] [--json] [--report OUT.html] [--runs-dir DIR]

Replays recorded markets (cryptofeed captures, md record recordings) through the real router,
risk, execution and positions workers on the in-process bus, under simulated time, against replay
venues that follow the recorded books (see cli/src/backtest/README.md for the fill rules).

  --data        capture or recording files (comma-separated, or more files after it)
  --strategy    a built-in strategy (mid-reversion) or a module whose default export is a StrategyFactory; --settings: its JSON settings
  --intents     JSONL, one intent a line ("at": ms after the instrument's first recorded book): {"at":1500,"instrument":"NKN/USDT","side":"BUY",
                "amount":"100","limitPrice":"0.353","timeInForce":"IOC","venues":["binance"]}
  --seed        seeds the probabilistic fill model (default 1)
  --latency     per venue: ms until an order (and a cancel) reaches it; default ${DEFAULT_LATENCY_MS} ms each
  --fees        per venue maker/taker fee rates (default ${DEFAULT_FEES.maker}/${DEFAULT_FEES.taker})
  --fill-model  book (default: queue position, recorded trades) or probabilistic (seeded, at the touch)
  --touch-probability  chance a resting order at the touch fills on a recorded book (probabilistic; default 0.1)
  --portfolio   the portfolio traded (default backtest)
  --json        the report as JSON on stdout; --report writes it as one self-contained HTML file
  --runs-dir    where every run is kept (its run.json, report.json and report.html in a folder named by its run id), which the
                gateway serves (GET /backtests); default $${BACKTESTS_DIR_KEY}, else ${DEFAULT_BACKTESTS_DIR} under the working directory`;

/** `crossvenue backtest`: a strategy or a script of intents over recorded markets, through the real pipeline. */
export async function backtestCommand(argv: string[]): Promise<number> {
  const { positionals, options, flags } = parseArgs(argv, {
    valued: ['data', 'strategy', 'settings', 'intents', 'seed', 'latency', 'fees', 'fill-model', 'touch-probability', 'portfolio', 'report', 'runs-dir'],
    flags: ['json'],
  });
  const files = [...(options.get('data')?.split(',') ?? []), ...positionals].map((file) => file.trim()).filter(Boolean);
  if (!options.has('data') || files.length === 0) throw new UsageError("backtest needs --data with at least one capture or recording file; run 'crossvenue backtest --help'");
  if (options.has('strategy') === options.has('intents')) throw new UsageError('backtest needs exactly one of --strategy and --intents');
  if (options.has('settings') && !options.has('strategy')) throw new UsageError('--settings goes with --strategy');
  const seed = wholeNumber(options.get('seed') ?? '1', '--seed');
  const fillModel = (options.get('fill-model') ?? 'book') as FillModelName;
  if (!FILL_MODELS.includes(fillModel)) throw new UsageError(`--fill-model ${fillModel}: expected ${FILL_MODELS.join(' or ')}`);
  if (options.has('touch-probability') && fillModel !== 'probabilistic') throw new UsageError('--touch-probability goes with --fill-model probabilistic');
  const touchProbability = Number(options.get('touch-probability') ?? '0.1');
  if (!(touchProbability >= 0 && touchProbability <= 1)) throw new UsageError(`--touch-probability ${options.get('touch-probability')}: expected a number within [0, 1]`);
  const portfolio = options.get('portfolio') ?? 'backtest';
  oneLine('--portfolio', () => parsePortfolioId(portfolio));
  const report = options.get('report');
  if (report !== undefined && !report.endsWith('.html')) throw new UsageError(`--report ${report}: expected a file name ending in .html`);
  const runsDir = runsFolder(options.get('runs-dir'));
  const startedAtMs = Date.now();

  const loading = performance.now();
  const market = await loadRecordedMarket(files);
  const loadSeconds = Math.round(performance.now() - loading) / 1_000;
  const venues = new Set(market.instruments.map((instrument) => instrument.venue));
  const latency = perVenue(options.get('latency'), '--latency', venues, parseLatency);
  const fees = perVenue(options.get('fees'), '--fees', venues, parseFees);
  const venueSettings = (venue: string): VenueSettings => ({
    latency: latency.get(venue) ?? { insertMs: DEFAULT_LATENCY_MS, cancelMs: DEFAULT_LATENCY_MS },
    fees: fees.get(venue) ?? { maker: new Decimal(DEFAULT_FEES.maker), taker: new Decimal(DEFAULT_FEES.taker) },
  });
  const { strategy, wakeAt } = options.has('strategy')
    ? { strategy: await backtestStrategy(options.get('strategy')!, options.get('settings')), wakeAt: [] }
    : await scripted(options.get('intents')!, market);
  for (const instrument of strategy.strategy.instruments) {
    if (!market.instruments.some((known) => known.instrument === instrument)) throw new UsageError(`${strategy.name} trades ${instrument}, which the data has no book of (it has ${instrumentList(market)})`);
  }

  for (const skipped of market.skipped) console.error(`backtest: skipped ${skipped}`);
  const logger = createLogger('backtest', { level: process.env.LOG_LEVEL ?? 'warn', destination: process.stderr });
  const run = await refusingBadInput(strategy.name, () =>
    runBacktest({
      market,
      strategy,
      portfolio,
      seed,
      fillModel,
      touchProbability,
      venueSettings,
      wakeAt,
      logger,
      onProgress: (done, total) => console.error(`backtest: ${done}/${total} book events`),
    }),
  );
  const result: BacktestResult = { ...run, speed: { ...run.speed, loadSeconds } };
  const html = htmlReport(result, `Backtest: ${strategy.name} on ${files.map((file) => basename(file)).join(', ')}`);
  if (report !== undefined) await writeFile(report, html);
  const intentsFile = options.get('intents') ?? null;
  const description = { startedAtMs, data: files, strategy: intentsFile === null ? options.get('strategy')! : null, intents: intentsFile, settings: strategy.settings, seed, fillModel, portfolio };
  const saved = await saveRun(runsDir, description, result, html, market.instruments);
  if (flags.has('json')) console.log(JSON.stringify(result, null, 2));
  else console.log(table(result, market.instruments));
  const pnl = Object.entries(result.final.pnl).map(([currency, value]) => `${round(value, pnlPlaces(currency, market.instruments))} ${currency}`).join(', ') || '0';
  const { speed, counts } = result;
  console.error(
    `backtest: ${speed.bookEvents} book events, ${counts.intents} intents (${counts.unrouted} unrouted), ${counts.orders} orders, ${counts.fills} fills, ${counts.rejects + counts.riskRejects} rejects; PnL ${pnl}; ` +
      `replayed in ${speed.wallSeconds} s (${speed.eventsPerSecond} events/s, ${speed.timesRealTime}× real time) after ${loadSeconds} s reading the data${report ? `; report ${report}` : ''}; saved in ${saved}`,
  );
  return 0;
}

/** `--runs-dir`, else the folder the gateway serves (CROSSVENUE_BACKTESTS_DIR), checked before the run. */
function runsFolder(flag: string | undefined): string {
  if (flag?.trim() === '') throw new UsageError('--runs-dir: expected a folder');
  try {
    return backtestsFolder(flag === undefined ? process.env : { [BACKTESTS_DIR_KEY]: flag });
  } catch (error) {
    if (error instanceof SettingError) throw new UsageError(flag === undefined ? error.message : `--runs-dir ${flag}: expected a folder, and it is a file`);
    throw error;
  }
}

/** The strategy `module` (a built-in or a module path) makes from the settings file, or one line saying why not. */
async function backtestStrategy(module: string, settingsFile: string | undefined): Promise<{ name: string; strategy: Strategy; settings: Record<string, unknown> }> {
  let settings: Record<string, unknown> = {};
  if (settingsFile !== undefined) {
    try {
      settings = JSON.parse(await readFile(settingsFile, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`--settings ${settingsFile}: ${(error as Error).message.split('\n')[0]}`);
    }
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) throw new UsageError(`--settings ${settingsFile}: expected a JSON object`);
  }
  try {
    return { name: strategyNameOf(module), strategy: await loadStrategy(module, settings), settings };
  } catch (error) {
    if (error instanceof InvalidInputError) throw new UsageError(`--strategy ${module}: ${error.message}`);
    throw error;
  }
}

async function scripted(path: string, market: RecordedMarket) {
  const intents = await readIntentsFile(path);
  const venues = new Set(market.instruments.map((instrument) => instrument.venue));
  // Each instrument's recorded time: its first and last book.
  const span = new Map<string, { first: number; last: number }>();
  for (const event of market.events) {
    if (event.kind !== 'book') continue;
    const known = span.get(event.instrument);
    span.set(event.instrument, { first: known?.first ?? event.atMs, last: event.atMs });
  }
  for (const { line, at, order } of intents) {
    const where = `${path}:${line}`;
    const recorded = span.get(order.instrument);
    if (!recorded) throw new UsageError(`${where}: the data has no book of ${order.instrument} (it has ${instrumentList(market)})`);
    const unknown = order.venues?.find((venue) => !venues.has(venue));
    if (unknown) throw new UsageError(`${where}: venue ${unknown} is not in the data (${[...venues].join(', ')})`);
    if (at > recorded.last - recorded.first) throw new UsageError(`${where}: at ${at} ms is after the last book of ${order.instrument} (${recorded.last - recorded.first} ms after its first)`);
  }
  const strategy = new ScriptedIntents(intents, (instrument) => span.get(instrument)!.first);
  return { strategy: { name: 'intents', strategy, settings: {} }, wakeAt: strategy.times() };
}

/** `venue=value,…` against the data's venues. */
function perVenue<T>(raw: string | undefined, flag: string, venues: ReadonlySet<string>, parse: (value: string) => T | string): Map<string, T> {
  const parsed = new Map<string, T>();
  for (const part of raw?.split(',') ?? []) {
    const [venue, value] = part.split('=', 2).map((word) => word.trim());
    if (!venue || !value) throw new UsageError(`${flag} ${part}: expected VENUE=VALUE`);
    if (!venues.has(venue)) throw new UsageError(`${flag} ${part}: venue ${venue} is not in the data (${[...venues].join(', ')})`);
    const result = parse(value);
    if (typeof result === 'string') throw new UsageError(`${flag} ${part}: ${result}`);
    parsed.set(venue, result);
  }
  return parsed;
}

function parseLatency(value: string): VenueSettings['latency'] | string {
  const [insert, cancel = insert] = value.split('/');
  const ms = (text: string | undefined) => (text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined);
  const [insertMs, cancelMs] = [ms(insert), ms(cancel)];
  if (insertMs === undefined || cancelMs === undefined) return 'expected INSERT_MS or INSERT_MS/CANCEL_MS, whole numbers of ms';
  return { insertMs, cancelMs };
}

function parseFees(value: string): VenueSettings['fees'] | string {
  const [maker, taker] = value.split('/');
  try {
    if (maker === undefined || taker === undefined) return 'expected MAKER/TAKER fee rates such as 0.0002/0.0005';
    return { maker: parseDecimal(maker, 'maker fee'), taker: parseDecimal(taker, 'taker fee') };
  } catch (error) {
    return (error as Error).message;
  }
}

/** The run, with a strategy's bad input (its timer, an order it places) as one line naming it. */
async function refusingBadInput<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof InvalidInputError) throw new UsageError(`${name}: ${error.message}`);
    throw error;
  }
}

/** Runs a check that throws InvalidInputError, as a one-line usage error. */
function oneLine(flag: string, check: () => unknown): void {
  try {
    check();
  } catch (error) {
    if (error instanceof InvalidInputError) throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
}

function wholeNumber(raw: string, flag: string): number {
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw new UsageError(`${flag} ${raw}: expected a whole number`);
  return Number(raw);
}

function instrumentList(market: RecordedMarket): string {
  return [...new Set(market.instruments.map((instrument) => `${instrument.instrument} on ${instrument.venue}`))].join(', ');
}

/** The short human table, each number rounded to its instrument's precision. */
function table(result: BacktestResult, instruments: readonly RecordedInstrument[]): string {
  const rulesOf = (venue: string, instrument: string) => instruments.find((known) => known.venue === venue && known.instrument === instrument);
  const rows = [['venue', 'instrument', 'fills', 'volume', 'notional', 'fees', 'slippage bps', 'ack ms']];
  for (const row of result.venues) {
    const rules = rulesOf(row.venue, row.instrument);
    const quantityPlaces = rules?.quantityStep.decimalPlaces() ?? 8;
    // Quote amounts (notional, fees) to two places finer than the price tick: fees are small.
    const quotePlaces = (rules?.priceTick.decimalPlaces() ?? 6) + 2;
    rows.push([
      row.venue,
      row.instrument,
      String(row.fills),
      round(row.volume, quantityPlaces),
      round(row.notional, quotePlaces),
      `${round(row.fees, quotePlaces)} ${row.feeCurrency}`,
      row.averageSlippageBps === null ? '–' : round(row.averageSlippageBps, 2),
      row.averageAckLatencyMs === null ? '–' : String(Math.round(row.averageAckLatencyMs)),
    ]);
  }
  if (rows.length === 1) return 'no fills';
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')).join('\n');
}

function round(value: string, places: number): string {
  return new Decimal(value).toFixed(places);
}

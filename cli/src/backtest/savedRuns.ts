import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { RUN_FILES, type SavedBacktestRun } from '@crossvenue/gateway';
import { Decimal, formatDecimal } from '@crossvenue/schemas';
import type { BacktestResult } from './BacktestRun.ts';
import type { RecordedInstrument } from './RecordedMarket.ts';

/** What ran, as run.json says it (the rest of run.json comes from the result). */
export type RunDescription = Pick<SavedBacktestRun, 'startedAtMs' | 'data' | 'strategy' | 'intents' | 'settings' | 'seed' | 'fillModel' | 'portfolio'>;

/** At most this many tries for a free run id (runs started in the same millisecond with the same name and seed). */
const ID_TRIES = 100;

/**
 * Keeps a finished run under the runs folder (gateway/src/backtests/savedBacktests.ts has the
 * layout): the files are written into a hidden work folder and renamed into place at once, so a
 * reader never sees a half-written run. Resolves with the run's folder.
 */
export async function saveRun(folder: string, description: RunDescription, result: BacktestResult, html: string, instruments: readonly RecordedInstrument[]): Promise<string> {
  await mkdir(folder, { recursive: true });
  const base = runId(description);
  const work = join(folder, `.${base}.${process.pid}.tmp`);
  await mkdir(work);
  try {
    for (let attempt = 1; attempt <= ID_TRIES; attempt++) {
      const id = attempt === 1 ? base : `${base}-${attempt}`;
      const run: SavedBacktestRun = { id, ...description, summary: summary(result), precision: precision(instruments) };
      await writeFile(join(work, RUN_FILES.run), `${JSON.stringify(run, null, 2)}\n`);
      await writeFile(join(work, RUN_FILES.report), `${JSON.stringify(result, null, 2)}\n`);
      await writeFile(join(work, RUN_FILES.page), html);
      try {
        await rename(work, join(folder, id));
        return join(folder, id);
      } catch (error) {
        // Taken: another run of the same moment, name and seed.
        if (!['EEXIST', 'ENOTEMPTY'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
      }
    }
    throw new Error(`backtest: no free run id after ${base}-${ID_TRIES} in ${folder}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * `20261205T105911123Z-mid-reversion-seed7`: the start time (UTC, to the ms) first, so ids sort by
 * time, then what ran (the strategy, or the intents file's name) and the seed.
 */
export function runId({ startedAtMs, strategy, intents, seed }: Pick<RunDescription, 'startedAtMs' | 'strategy' | 'intents' | 'seed'>): string {
  const time = new Date(startedAtMs).toISOString().replace(/[-:.]/g, '');
  const what = strategy !== null ? basename(strategy, extname(strategy)) : `intents-${basename(intents!, extname(intents!))}`;
  const slug = what.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'run';
  return `${time}-${slug}-seed${seed}`;
}

/** The figures a list of runs shows. Slippage across venues is weighted by notional: their instruments' quantities do not add up. */
function summary(result: BacktestResult): SavedBacktestRun['summary'] {
  const fees = new Map<string, Decimal>();
  let weighted = new Decimal(0);
  let notional = new Decimal(0);
  for (const row of result.venues) {
    fees.set(row.feeCurrency, (fees.get(row.feeCurrency) ?? new Decimal(0)).plus(row.fees));
    if (row.averageSlippageBps === null) continue;
    weighted = weighted.plus(new Decimal(row.averageSlippageBps).times(row.notional));
    notional = notional.plus(row.notional);
  }
  const { counts, speed } = result;
  return {
    bookEvents: speed.bookEvents,
    intents: counts.intents,
    orders: counts.orders,
    fills: counts.fills,
    pnl: result.final.pnl,
    fees: Object.fromEntries([...fees].map(([currency, value]) => [currency, formatDecimal(value)])),
    slippageBps: notional.gt(0) ? formatDecimal(weighted.dividedBy(notional).toDecimalPlaces(4)) : null,
    wallSeconds: speed.wallSeconds,
    eventsPerSecond: speed.eventsPerSecond,
    timesRealTime: speed.timesRealTime,
  };
}

function precision(instruments: readonly RecordedInstrument[]): SavedBacktestRun['precision'] {
  const currencies = [...new Set(instruments.map((instrument) => instrument.quote))];
  // An instrument on several venues: the finest of their steps.
  const places: SavedBacktestRun['precision']['instruments'] = {};
  for (const { instrument, priceTick, quantityStep } of instruments) {
    const known = places[instrument] ?? { price: 0, quantity: 0 };
    places[instrument] = { price: Math.max(known.price, priceTick.decimalPlaces()), quantity: Math.max(known.quantity, quantityStep.decimalPlaces()) };
  }
  return { currencies: Object.fromEntries(currencies.map((currency) => [currency, pnlPlaces(currency, instruments)])), instruments: places };
}

/** PnL in a currency to the finest price precision among the instruments quoted in it. */
export function pnlPlaces(currency: string, instruments: readonly RecordedInstrument[]): number {
  return Math.max(2, ...instruments.filter((instrument) => instrument.quote === currency).map((instrument) => instrument.priceTick.decimalPlaces()));
}

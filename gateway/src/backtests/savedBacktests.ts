import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { statSync } from 'node:fs';
import { SettingError } from '@crossvenue/runtime';

/**
 * Saved backtest runs: the folder `crossvenue backtest` writes every run to and the gateway serves
 * read-only. One folder per run, named by its id, holding `run.json` (what ran and its summary
 * figures), `report.json` (the report as `--json` prints it) and `report.html` (as `--report`
 * writes it). The writer (cli/src/backtest/savedRuns.ts) and the reader share this layout.
 */

/** The variable naming the runs folder; relative to the working directory. */
export const BACKTESTS_DIR_KEY = 'CROSSVENUE_BACKTESTS_DIR';
export const DEFAULT_BACKTESTS_DIR = '.crossvenue/backtests';

export const RUN_FILES = { run: 'run.json', report: 'report.json', page: 'report.html' } as const;
export type RunFile = (typeof RUN_FILES)[keyof typeof RUN_FILES];

/**
 * What a run id may be: a folder name of letters, digits, `.`, `_` and `-`, starting with a letter
 * or digit. No separator and no leading dot, so an id never names anything outside the folder (nor
 * a writer's hidden work folder).
 */
export const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** `run.json`: what ran and the figures a list of runs shows. */
export interface SavedBacktestRun {
  id: string;
  /** Wall clock when the run started, epoch ms. */
  startedAtMs: number;
  /** The data files, as given. */
  data: string[];
  /** The strategy module, or null when a script of intents ran. */
  strategy: string | null;
  /** The `--intents` file, or null when a strategy ran. */
  intents: string | null;
  /** The strategy's settings (empty for intents). */
  settings: Record<string, unknown>;
  seed: number;
  fillModel: string;
  portfolio: string;
  summary: {
    bookEvents: number;
    intents: number;
    orders: number;
    fills: number;
    /** Final PnL per quote currency, marked to mid, after fees. */
    pnl: Record<string, string>;
    /** Fees per currency. */
    fees: Record<string, string>;
    /** The venues' average slippage against the arrival mid weighted by their notional, bps (positive is worse); null without fills. */
    slippageBps: string | null;
    wallSeconds: number;
    eventsPerSecond: number;
    timesRealTime: number;
  };
  /** Display precision: fraction digits per quote currency (PnL, fees) and per instrument (price, quantity). */
  precision: { currencies: Record<string, number>; instruments: Record<string, { price: number; quantity: number }> };
}

/** A run as listed: its run.json, or why that cannot be read. */
export type ListedRun = SavedBacktestRun | { id: string; error: string };

/** The runs folder from the environment, absolute; an existing path that is not a folder stops start-up. */
export function backtestsFolder(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): string {
  const raw = env[BACKTESTS_DIR_KEY]?.trim() || DEFAULT_BACKTESTS_DIR;
  const folder = resolve(cwd, raw);
  const stats = statSync(folder, { throwIfNoEntry: false });
  if (stats && !stats.isDirectory()) throw new SettingError(BACKTESTS_DIR_KEY, 'a folder for the saved backtest runs (created by the first run)', raw);
  return folder;
}

/** The newest `limit` runs of the folder (ids sort by time) and how many it holds; none when the folder does not exist yet. */
export async function listRuns(folder: string, limit: number): Promise<{ runs: ListedRun[]; total: number }> {
  const entries = await readdir(folder, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  // A symbolic link is not a run: what it points to may be outside the folder.
  const ids = entries.filter((entry) => entry.isDirectory() && RUN_ID.test(entry.name)).map((entry) => entry.name).sort().reverse();
  const runs = await Promise.all(
    ids.slice(0, limit).map(async (id): Promise<ListedRun> => {
      try {
        return readRun(id, await readFile(join(folder, id, RUN_FILES.run), 'utf8'));
      } catch (error) {
        return { id, error: `${RUN_FILES.run}: ${oneLine(error)}` };
      }
    }),
  );
  return { runs, total: ids.length };
}

/**
 * One file of a run, or undefined when `id` is not a run of the folder. The file's real path must
 * lie inside the folder's: a symbolic link out of it is not followed.
 */
export async function runFile(folder: string, id: string, file: RunFile): Promise<string | undefined> {
  if (!RUN_ID.test(id)) return undefined;
  try {
    const root = await realpath(folder);
    const path = await realpath(join(root, id, file));
    if (!path.startsWith(root + sep) || !(await lstat(join(root, id))).isDirectory()) return undefined;
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** run.json's text as a run: its id must be its folder's, and what a list shows must be there. */
export function readRun(id: string, text: string): SavedBacktestRun {
  const run = JSON.parse(text) as Partial<SavedBacktestRun> | null;
  if (typeof run !== 'object' || run === null || Array.isArray(run)) throw new Error('expected a JSON object');
  if (run.id !== id) throw new Error(`its id ${JSON.stringify(run.id)} is not its folder's`);
  if (typeof run.startedAtMs !== 'number' || typeof run.summary !== 'object' || run.summary === null || !Array.isArray(run.data)) throw new Error('startedAtMs, data or summary missing');
  return run as SavedBacktestRun;
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

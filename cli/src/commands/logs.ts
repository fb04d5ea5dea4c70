import { parseArgs, UsageError } from '../args.ts';
import { followLogs, interleave, lastLines, logSources } from '../supervisor/logFiles.ts';
import { RunError } from '../supervisor/RunError.ts';
import { runPaths } from '../supervisor/runPaths.ts';

const DEFAULT_LINES = 100;

export const HELP = `usage: crossvenue logs [id-or-worker] [--follow] [--lines N]

The log files of the run crossvenue up started, as written (pino JSON lines): every process's,
interleaved by time, or one process's (by its id, as crossvenue ps shows it), or every instance of
one worker (execution: execution-1, execution-2, …). "supervisor" is the supervisor's own.

  --lines N   the last N lines (default ${DEFAULT_LINES})
  --follow    then keep printing what is written, until Ctrl-C

The logs are in CROSSVENUE_RUN_DIR/logs (default ./.crossvenue/logs) and stay after crossvenue down.`;

/** `crossvenue logs`: the run's log lines, one process's or all of them by time; --follow keeps printing. */
export async function logsCommand(argv: string[]): Promise<number> {
  const { positionals, flags, options } = parseArgs(argv, { valued: ['lines'], flags: ['follow'] });
  if (positionals.length > 1) throw new UsageError(`logs takes one id or worker, got "${positionals.join(' ')}"`);
  const [selector] = positionals;
  const lines = Number(options.get('lines') ?? DEFAULT_LINES);
  if (!Number.isInteger(lines) || lines < 0) throw new UsageError(`--lines: expected a whole number, got "${options.get('lines')}"`);

  const { logs } = runPaths();
  const sources = logSources(logs, selector);
  if (sources.length === 0) {
    const known = logSources(logs).map(({ id }) => id);
    if (known.length === 0) throw new RunError(`no logs in ${logs}; crossvenue up writes them`);
    throw new RunError(`no log for "${selector}" in ${logs}; there are: ${known.sort().join(', ')}`);
  }
  const merged = interleave(sources.map(({ file }) => lastLines(file, lines)));
  for (const line of merged.slice(Math.max(0, merged.length - lines))) console.log(line);
  if (!flags.has('follow')) return 0;

  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort()).once('SIGTERM', () => stop.abort());
  await followLogs(() => logSources(logs, selector), (line) => console.log(line), stop.signal);
  return 0;
}

import { parseArgs, UsageError } from '../args.ts';
import { RunError } from '../supervisor/RunError.ts';
import { runPaths } from '../supervisor/runPaths.ts';
import { stopRun } from '../supervisor/stopRun.ts';

export const HELP = `usage: crossvenue down

Stops the run crossvenue up started: the supervisor, then every worker (SIGTERM to each process
group; SIGKILL to a group still there after 20s), checks that none of their processes is left,
and removes the run state. The logs stay (crossvenue logs). The run is the one in
CROSSVENUE_RUN_DIR (default ./.crossvenue).`;

/** `crossvenue down`: stops the supervisor and every process of the run, and says what it stopped. */
export async function downCommand(argv: string[]): Promise<number> {
  const { positionals } = parseArgs(argv);
  if (positionals.length > 0) throw new UsageError(`down takes no arguments, got "${positionals[0]}"`);
  const paths = runPaths();
  const report = await stopRun(paths);
  if (!report) {
    console.log(`nothing to stop: no run (no ${paths.state})`);
    return 0;
  }
  for (const { id, pid, outcome } of report.stopped) console.log(`${outcome.padEnd(11)} ${id} (pid ${pid})`);
  if (report.left.length > 0) throw new RunError(`pids ${report.left.join(', ')} are still alive; the run state stays in ${paths.state}`);
  console.log(`run stopped; logs stay in ${paths.logs}`);
  return 0;
}

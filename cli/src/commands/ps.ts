import { parseArgs, UsageError } from '../args.ts';
import { runPaths } from '../supervisor/runPaths.ts';
import { formatProcesses, observeRun } from '../supervisor/runStatus.ts';

export const HELP = `usage: crossvenue ps [--json]

The run crossvenue up started: the supervisor, then each process with its pid, status (running,
restarting, stopped), restarts, health (/healthz), consumer lag (the sum of crossvenue_consumer_lag
over its partitions) and readiness (/readyz, with the reason when not ready).

Exit code 0 when the supervisor and every process run and answer /healthz, 1 otherwise (also when
there is no run). The run is the one in CROSSVENUE_RUN_DIR (default ./.crossvenue).`;

/** `crossvenue ps [--json]`: what the run's supervisor and each of its processes are doing now. */
export async function psCommand(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, { flags: ['json'] });
  if (positionals.length > 0) throw new UsageError(`ps takes no arguments, got "${positionals[0]}"`);
  const paths = runPaths();
  const status = await observeRun(paths);
  if (flags.has('json')) {
    console.log(JSON.stringify(status ?? { stateFile: paths.state, supervisor: null, processes: [], healthy: false }, null, 2));
  } else if (!status) {
    console.log(`no run (no ${paths.state}); crossvenue up starts one`);
  } else {
    const { supervisor } = status;
    const how = supervisor.running ? 'running' : 'NOT RUNNING (workers are no longer restarted; crossvenue down cleans up)';
    console.log(`supervisor  pid ${supervisor.pid}  ${how}  since ${supervisor.startedAt}  config ${supervisor.config}`);
    console.log(formatProcesses(status.processes));
  }
  return status?.healthy ? 0 : 1;
}

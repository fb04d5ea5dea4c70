import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@crossvenue/runtime/process';
import { parseArgs, UsageError } from '../args.ts';
import { assertNoFlatteningOverride, assertPortsFree, ensureInfrastructure } from '../supervisor/preflight.ts';
import { isOurGroupAlive, spawnGroupLeader } from '../supervisor/processGroups.ts';
import { probeReady } from '../supervisor/probes.ts';
import { parseReplicas } from '../supervisor/replicas.ts';
import { RunError } from '../supervisor/RunError.ts';
import { BIN, REPO_ROOT, runPaths, type RunPaths } from '../supervisor/runPaths.ts';
import { readRunState, removeRunState, type RunState } from '../supervisor/runState.ts';
import { formatProcesses, observeRun } from '../supervisor/runStatus.ts';
import { stopRun } from '../supervisor/stopRun.ts';
import { ConfigError, loadConfig, planWorkers, workerEnvironment, type WorkerProcess } from '../config/index.ts';

const DEFAULT_TIMEOUT_S = 300;

export const HELP = `usage: crossvenue up [--config F] [--replicas worker=N,…] [--timeout SECONDS]

Starts the distributed pipeline on this machine: every process the config plans (crossvenue config
check F shows them), each as \`crossvenue worker <name>\` in its own process, under a supervisor
that runs in the background and restarts a worker that crashes (backoff from 1s, doubling, at most
30s). Returns once every worker answers /readyz, and prints them.

  --config F        the config (default CROSSVENUE_CONFIG, else ./crossvenue.yaml)
  --replicas W=N,…  run N instances of worker W, e.g. --replicas router=2,positions=2 (the workers
                    that share partitions today: router, positions, reconciler, audit-sink)
  --timeout S       how long to wait for every worker to be ready (default ${DEFAULT_TIMEOUT_S}s); a run
                    that is not ready by then is stopped again

Kafka, the registry and ClickHouse: when the config names the local stack's addresses, what of it
is not running is started (crossvenue stack up); any other address must answer already.

Refuses to start when a run is already up, or when a port a worker would listen on is taken.
State and logs live in CROSSVENUE_RUN_DIR (default ./.crossvenue): crossvenue ps, logs and down.`;

/** `crossvenue up`: checks, starts the supervisor in the background, and waits until every worker is ready. */
export async function upCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, { valued: ['config', 'replicas', 'timeout'] });
  if (positionals.length > 0) throw new UsageError(`up takes no arguments, got "${positionals[0]}"; the config is --config F`);
  const timeoutS = Number(options.get('timeout') ?? DEFAULT_TIMEOUT_S);
  if (!Number.isInteger(timeoutS) || timeoutS <= 0) throw new UsageError(`--timeout: expected whole seconds, got "${options.get('timeout')}"`);
  const replicasText = options.get('replicas');
  const replicas = parseReplicas(replicasText);

  const paths = runPaths();
  assertNoRun(paths);
  const configPath = resolve(options.get('config') ?? (process.env.CROSSVENUE_CONFIG?.trim() || 'crossvenue.yaml'));
  let processes: WorkerProcess[];
  let environments: NodeJS.ProcessEnv[];
  try {
    processes = planWorkers(loadConfig(configPath), { replicas });
    // Each process's settings as it will see them: a secret that does not resolve stops `up` here, not a worker later.
    environments = processes.map((planned) => workerEnvironment({ ...process.env, CROSSVENUE_CONFIG: configPath, CROSSVENUE_INSTANCE: planned.id }));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // As `config check` says it: one line per problem, each naming its field.
    for (const line of error.lines) console.error(line);
    console.error(`config ${configPath}: ${error.lines.length} problem${error.lines.length === 1 ? '' : 's'}; nothing started`);
    return 1;
  }
  assertNoFlatteningOverride(processes, process.env);
  await ensureInfrastructure(environments, createLogger('up'));
  await assertPortsFree(processes, configPath);

  const supervisor = spawnGroupLeader({
    args: [BIN, 'supervise', '--config', configPath, ...(replicasText === undefined ? [] : ['--replicas', replicasText])],
    env: process.env,
    cwd: REPO_ROOT,
    logFile: paths.supervisorLog,
  });
  supervisor.unref();
  console.log(`supervisor started (pid ${supervisor.pid}); waiting up to ${timeoutS}s for ${processes.length} processes to be ready`);

  // Ctrl-C while waiting stops what was started, like a timeout: `up` leaves a ready run or nothing.
  const interrupted = new AbortController();
  const interrupt = () => interrupted.abort();
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
  try {
    const notReady = await waitUntilReady(paths, supervisor.pid, Date.now() + timeoutS * 1000, interrupted.signal);
    if (notReady !== undefined) {
      const report = await stopRun(paths);
      const left = report && report.left.length > 0 ? `; still alive: pids ${report.left.join(', ')} (crossvenue down)` : '; stopped it again';
      throw new RunError(`${interrupted.signal.aborted ? 'interrupted' : `not ready after ${timeoutS}s`}: ${notReady}${left}`);
    }
  } finally {
    process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
  }
  const status = await observeRun(paths);
  console.log(formatProcesses(status?.processes ?? []));
  const gateway = processes.find((process) => process.worker === 'gateway' && process.env.GATEWAY_PORT);
  if (gateway) console.log(`gateway: http://127.0.0.1:${gateway.env.GATEWAY_PORT}`);
  console.log(`logs: ${paths.logs} (crossvenue logs [id]); crossvenue down stops the run`);
  return 0;
}

/** One run per run folder: a live one is refused; one whose supervisor and workers are all gone is cleared. */
function assertNoRun(paths: RunPaths): void {
  const state = readRunState(paths.state);
  if (!state) return;
  if (isOurGroupAlive(state.supervisor.pid, BIN)) {
    throw new RunError(`already running (supervisor pid ${state.supervisor.pid}, config ${state.supervisor.config}); crossvenue ps shows it, crossvenue down stops it`);
  }
  const alive = state.processes.filter(({ pid }) => pid !== null && isOurGroupAlive(pid, BIN));
  if (alive.length > 0) {
    throw new RunError(`a previous run's supervisor is gone but ${alive.map(({ id, pid }) => `${id} (pid ${pid})`).join(', ')} still run; crossvenue down stops them`);
  }
  removeRunState(paths.state);
}

/**
 * Polls until every process of the supervisor's state answers /readyz with 200. Returns undefined
 * when it does, else which are not ready and why, once the deadline passes, the supervisor exits,
 * or `signal` aborts.
 */
async function waitUntilReady(paths: RunPaths, supervisorPid: number, deadline: number, signal: AbortSignal): Promise<string | undefined> {
  let notReady = `the supervisor wrote no state yet (log ${paths.supervisorLog})`;
  for (;;) {
    const state = readRunState(paths.state);
    if (!isOurGroupAlive(supervisorPid, BIN)) return `the supervisor exited (log ${paths.supervisorLog})`;
    if (state?.supervisor.pid === supervisorPid) {
      const waiting = await notReadyProcesses(state);
      if (waiting.length === 0) return undefined;
      notReady = `${waiting.join(', ')}; their logs: ${join(paths.logs, '<id>.log')}`;
    }
    if (Date.now() >= deadline || signal.aborted) return notReady;
    await sleep(1_000, undefined, { signal }).catch(() => undefined);
  }
}

/** "router (connect ECONNREFUSED 127.0.0.1:9468)" for each process not ready yet. */
async function notReadyProcesses(state: RunState): Promise<string[]> {
  const answers = await Promise.all(
    state.processes.map(async (process) => {
      if (process.status !== 'running') return `${process.id} (${process.status}, ${process.restarts} restarts so far)`;
      const { ready, reason } = await probeReady(process.metricsPort);
      return ready ? undefined : `${process.id} (${reason})`;
    }),
  );
  return answers.filter((answer): answer is string => answer !== undefined);
}

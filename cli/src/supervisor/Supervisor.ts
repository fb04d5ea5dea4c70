import type { Logger } from '@crossvenue/runtime/process';
import type { WorkerProcess } from '../config/index.ts';
import { isOurGroupAlive, signalGroup, spawnGroupLeader, stopGroup } from './processGroups.ts';
import { crashesInARowAfter, restartDelayMs } from './restartPolicy.ts';
import { BIN, REPO_ROOT, type RunPaths } from './runPaths.ts';
import { writeRunState, type ProcessState, type RunState } from './runState.ts';

/** A worker stopping closes its Kafka clients (leaving its consumer group); one still there after this is killed. */
export const WORKER_STOP_GRACE_MS = 20_000;

export interface SupervisorOptions {
  /** Absolute: every worker reads its part of it (CROSSVENUE_CONFIG). */
  configPath: string;
  processes: WorkerProcess[];
  paths: RunPaths;
  /** What every worker inherits (overrides of single values, secrets named by reference); CROSSVENUE_CONFIG, CROSSVENUE_INSTANCE and CROSSVENUE_RESTARTS are set on top. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Told of every worker that exits on its own (the supervisor then restarts it). */
  onExit?: (process: WorkerProcess, pid: number, exit: string, restarts: number) => void;
}

interface Supervised {
  state: ProcessState;
  process: WorkerProcess;
  startedAt: number;
  crashesInARow: number;
  restartTimer?: NodeJS.Timeout;
}

/**
 * Runs each planned process as `node cli/bin/crossvenue.js worker <worker>` in a process group of
 * its own, output appended to its log file, and starts it again with backoff when it exits on its
 * own. Every change is written to the run state, which `ps`, `logs` and `down` read. Stopping
 * stops every group (SIGTERM, then SIGKILL). Should the supervisor end some other way (an uncaught
 * error), each group is sent SIGKILL on the way out; killed outright (SIGKILL), it leaves that to
 * the workers, which stop once their parent is gone (untilSignal).
 */
export class Supervisor {
  private readonly supervised: Supervised[];
  private readonly startedAt = new Date().toISOString();
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {
    this.supervised = options.processes.map((planned) => ({
      process: planned,
      startedAt: 0,
      crashesInARow: 0,
      state: {
        id: planned.id,
        worker: planned.worker,
        pid: null,
        status: 'stopped',
        restarts: 0,
        metricsPort: Number(planned.env.METRICS_PORT),
        log: options.paths.log(planned.id),
      },
    }));
  }

  start(): void {
    // The last resort: whatever ends this process (an uncaught error included), no worker is left behind.
    process.on('exit', () => {
      for (const { state } of this.supervised) {
        if (state.pid !== null && state.status === 'running' && isOurGroupAlive(state.pid, BIN)) signalGroup(state.pid, 'SIGKILL');
      }
    });
    for (const supervised of this.supervised) this.spawn(supervised);
    this.save();
  }

  /** Stops every worker, in parallel; resolves when none is left. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.supervised.map(async (supervised) => {
        clearTimeout(supervised.restartTimer);
        const { state } = supervised;
        // A process waiting to restart has no pid of its own any more: its old one may be someone else's by now.
        if (state.pid !== null && state.status === 'running') {
          const outcome = await stopGroup(state.pid, BIN, WORKER_STOP_GRACE_MS);
          if (outcome === 'killed') this.options.logger.warn(`${state.id} (pid ${state.pid}) did not stop within ${WORKER_STOP_GRACE_MS / 1000}s; killed`);
        }
        state.status = 'stopped';
      }),
    );
    this.save();
  }

  private spawn(supervised: Supervised): void {
    const { process: planned, state } = supervised;
    const { configPath, paths, env, logger } = this.options;
    const child = spawnGroupLeader({
      args: [BIN, 'worker', planned.worker],
      // CROSSVENUE_RESTARTS: the worker reports it as the crossvenue_restarts metric.
      env: { ...env, CROSSVENUE_CONFIG: configPath, CROSSVENUE_INSTANCE: planned.id, CROSSVENUE_RESTARTS: String(state.restarts) },
      cwd: REPO_ROOT,
      logFile: paths.log(planned.id),
    });
    supervised.startedAt = Date.now();
    state.pid = child.pid;
    state.status = 'running';
    child.once('exit', (code, signal) => this.exited(supervised, child.pid, code, signal));
    logger.info({ id: planned.id, pid: child.pid, log: state.log }, `started ${planned.id} (pid ${child.pid})`);
  }

  private exited(supervised: Supervised, pid: number, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping) return;
    const { state } = supervised;
    // Anything the worker left in its group goes with it, so the next start is alone.
    if (isOurGroupAlive(pid, BIN)) signalGroup(pid, 'SIGKILL');
    supervised.crashesInARow = crashesInARowAfter(supervised.crashesInARow, Date.now() - supervised.startedAt);
    const delayMs = restartDelayMs(supervised.crashesInARow);
    state.status = 'restarting';
    state.restarts += 1;
    this.options.logger.warn(
      { id: state.id, pid, code, signal, restarts: state.restarts, log: state.log },
      `${state.id} (pid ${pid}) exited with ${signal ?? `code ${code}`}; restarting in ${delayMs / 1000}s`,
    );
    this.save();
    this.options.onExit?.(supervised.process, pid, signal ?? `code ${code}`, state.restarts);
    supervised.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.spawn(supervised);
      this.save();
    }, delayMs);
  }

  private save(): void {
    const { configPath, paths } = this.options;
    const state: RunState = {
      supervisor: { pid: process.pid, startedAt: this.startedAt, config: configPath, log: paths.supervisorLog },
      processes: this.supervised.map((supervised) => ({ ...supervised.state })),
    };
    writeRunState(paths.state, state);
  }
}

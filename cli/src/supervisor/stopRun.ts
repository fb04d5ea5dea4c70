import { isOurGroupAlive, stopGroup, type StopOutcome } from './processGroups.ts';
import { BIN, type RunPaths } from './runPaths.ts';
import { readRunState, removeRunState } from './runState.ts';
import { WORKER_STOP_GRACE_MS } from './Supervisor.ts';

/** The supervisor stops its workers first; it gets that long, and a little more, before it is killed. */
const SUPERVISOR_STOP_GRACE_MS = WORKER_STOP_GRACE_MS + 10_000;

export interface Stopped {
  /** "supervisor" or a process id. */
  id: string;
  pid: number;
  outcome: StopOutcome;
}

export interface StopReport {
  stopped: Stopped[];
  /** Pids of the run still alive afterwards: then the run state is kept, so that `down` can be tried again. */
  left: number[];
}

/**
 * Stops a run: the supervisor (which stops its workers, SIGTERM then SIGKILL per process group),
 * then any worker still there, by its own process group, in case the supervisor had died. Removes
 * the run state once no pid in it is alive. Undefined when there is no run.
 */
export async function stopRun(paths: RunPaths): Promise<StopReport | undefined> {
  const before = readRunState(paths.state);
  if (!before) return undefined;
  const aliveBefore = new Set(before.processes.flatMap(({ pid }) => (pid !== null && isOurGroupAlive(pid, BIN) ? [pid] : [])));
  const stopped: Stopped[] = [{ id: 'supervisor', pid: before.supervisor.pid, outcome: await stopGroup(before.supervisor.pid, BIN, SUPERVISOR_STOP_GRACE_MS) }];
  // Read again: a worker restarted just before the supervisor stopped has a new pid.
  const after = readRunState(paths.state) ?? before;
  const workers = after.processes.filter((process) => process.pid !== null);
  const outcomes = await Promise.all(workers.map((process) => stopGroup(process.pid!, BIN, WORKER_STOP_GRACE_MS)));
  workers.forEach((process, index) => {
    // Gone now, alive before: the supervisor stopped it (it logs any it had to kill).
    const outcome = outcomes[index] === 'not running' && aliveBefore.has(process.pid!) ? 'stopped' : outcomes[index]!;
    stopped.push({ id: process.id, pid: process.pid!, outcome });
  });
  const left = stopped.map(({ pid }) => pid).filter((pid) => isOurGroupAlive(pid, BIN));
  if (left.length === 0) removeRunState(paths.state);
  return { stopped, left };
}

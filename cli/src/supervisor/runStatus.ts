import { isOurGroupAlive } from './processGroups.ts';
import { probe, type Probe } from './probes.ts';
import { BIN, type RunPaths } from './runPaths.ts';
import { readRunState, type ProcessState, type ProcessStatus, type RunState } from './runState.ts';

export interface ObservedProcess extends ProcessState, Probe {}

export interface RunStatus {
  stateFile: string;
  supervisor: RunState['supervisor'] & { running: boolean };
  processes: ObservedProcess[];
  /** The supervisor runs, and so does every process, answering /healthz. */
  healthy: boolean;
}

/** The run as it is now: its state, with every pid checked and every worker asked; undefined when there is no run. */
export async function observeRun(paths: RunPaths): Promise<RunStatus | undefined> {
  const state = readRunState(paths.state);
  if (!state) return undefined;
  const running = isOurGroupAlive(state.supervisor.pid, BIN);
  const processes = await Promise.all(
    state.processes.map(async (process): Promise<ObservedProcess> => {
      // A state left by a supervisor that died says "running" for workers that may be gone: the pid decides.
      const alive = process.pid !== null && isOurGroupAlive(process.pid, BIN);
      const status: ProcessStatus = alive ? 'running' : running && process.status === 'restarting' ? 'restarting' : 'stopped';
      const probed = status === 'running' ? await probe(process.metricsPort) : { healthy: false, ready: false, lag: null };
      return { ...process, status, ...probed };
    }),
  );
  return {
    stateFile: paths.state,
    supervisor: { ...state.supervisor, running },
    processes,
    healthy: running && processes.every((process) => process.status === 'running' && process.healthy),
  };
}

/** The columns of `ps` (and of `up` once the run is ready). */
export function formatProcesses(processes: ObservedProcess[]): string {
  const rows = [
    ['ID', 'WORKER', 'PID', 'STATUS', 'RESTARTS', 'HEALTH', 'LAG', 'READY'],
    ...processes.map((p) => [
      p.id,
      p.worker,
      p.pid === null ? '-' : String(p.pid),
      p.status,
      String(p.restarts),
      p.status !== 'running' ? '-' : p.healthy ? 'ok' : 'failing',
      p.lag === null ? '-' : String(p.lag),
      p.status !== 'running' ? '-' : p.ready ? 'yes' : `no: ${p.reason}`,
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n');
}

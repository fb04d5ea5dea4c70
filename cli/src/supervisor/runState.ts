import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type ProcessStatus = 'running' | 'restarting' | 'stopped';

export interface ProcessState {
  id: string;
  worker: string;
  /** The pid of the last start; also its process group id. */
  pid: number | null;
  status: ProcessStatus;
  /** Starts after the first one. */
  restarts: number;
  metricsPort: number;
  log: string;
}

/** What `crossvenue up` runs, as `.crossvenue/run/state.json`: written by the supervisor, read by ps, logs and down. */
export interface RunState {
  supervisor: { pid: number; startedAt: string; config: string; log: string };
  processes: ProcessState[];
}

/** The state of the run, or undefined when there is none. A file that is not a run state is an error naming it. */
export function readRunState(file: string): RunState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const state = JSON.parse(text) as RunState;
  if (!Number.isInteger(state?.supervisor?.pid) || !Array.isArray(state.processes)) throw new Error(`${file} is not the state of a crossvenue run`);
  return state;
}

/** Written to a temporary file and renamed, so a reader never sees half a state. */
export function writeRunState(file: string, state: RunState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, file);
}

export function removeRunState(file: string): void {
  rmSync(file, { force: true });
}

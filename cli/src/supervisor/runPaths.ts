import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is cli/src/supervisor/runPaths.ts): workers run from there. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The command every supervised process runs: `node <BIN> worker <name>`, and the supervisor `node <BIN> supervise`. */
export const BIN = fileURLToPath(new URL('../../bin/crossvenue.js', import.meta.url));

/** Where `crossvenue up` keeps a run: its state, and one log file per process. */
export interface RunPaths {
  root: string;
  /** `run/state.json`: the supervisor and every process (contract 4 of issue 15). */
  state: string;
  logs: string;
  log: (id: string) => string;
  supervisorLog: string;
}

/** `<repo>/.crossvenue` (git-ignored), or `CROSSVENUE_RUN_DIR` when set, so that two runs (a test's and a developer's) never share state. */
export function runPaths(env: Record<string, string | undefined> = process.env): RunPaths {
  const override = env.CROSSVENUE_RUN_DIR?.trim();
  const root = override ? resolve(override) : join(REPO_ROOT, '.crossvenue');
  const logs = join(root, 'logs');
  return {
    root,
    state: join(root, 'run', 'state.json'),
    logs,
    log: (id) => join(logs, `${id}.log`),
    supervisorLog: join(logs, 'supervisor.log'),
  };
}

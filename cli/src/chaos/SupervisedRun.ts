import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { probeReady } from '../supervisor/probes.ts';
import { BIN, runPaths } from '../supervisor/runPaths.ts';
import { readRunState, type ProcessState } from '../supervisor/runState.ts';

/**
 * /readyz reasons of a restoring consumer (runtime's CatchUpTracker), by how far it has got:
 * `reading`, its group gave it partitions and it reads their backlog; `joining`, that or it has
 * started its consumer and waits for its group to give it partitions.
 */
const RESTORING: Record<RestorePhase, RegExp> = {
  reading: /^group \S+: \S+ is \d+ records behind/,
  joining: /^group \S+: (no partitions assigned yet|\S+ is \d+ records behind)/,
};

export type RestorePhase = 'reading' | 'joining';

/** What a `crossvenue` command run as a child process did. */
export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A `crossvenue up` run driven from outside, as an operator (or a fault) would: its commands run
 * as child processes with the run's own environment (its CROSSVENUE_RUN_DIR), and its processes
 * are found, killed and watched through the supervisor's state file.
 */
export class SupervisedRun {
  constructor(readonly env: NodeJS.ProcessEnv) {}

  /** `crossvenue <args>` with this run's environment. */
  command(args: string[]): Promise<Ran> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject).once('close', (code) => resolve({ code, stdout, stderr: stderr.trim() }));
    });
  }

  /** The run's processes now (none when it is down). */
  processes(): ProcessState[] {
    return readRunState(runPaths(this.env).state)?.processes ?? [];
  }

  process(id: string): ProcessState {
    const found = this.processes().find((entry) => entry.id === id);
    if (!found) throw new Error(`the run has no process ${id}; it has ${this.processes().map((entry) => entry.id).join(', ')}`);
    return found;
  }

  /** SIGKILL to a process of the run (the supervisor restarts it); returns the pid killed. */
  kill(id: string): number {
    const { pid } = this.process(id);
    if (pid === null) throw new Error(`${id} is not running: nothing to kill`);
    process.kill(pid, 'SIGKILL');
    return pid;
  }

  /**
   * Waits until `id` runs under another pid than `killed` and is restoring its state, as far as
   * `phase` (RESTORING): not caught up with its partitions yet. Returns the reason /readyz gave.
   * Polled often: a small state restores in a second or two.
   */
  async untilRestoring(id: string, killed: number, timeoutMs: number, phase: RestorePhase): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = this.processes().find((entry) => entry.id === id);
      if (now?.status === 'running' && now.pid !== null && now.pid !== killed) {
        const { ready, reason } = await probeReady(now.metricsPort);
        if (ready) throw new Error(`${id} (pid ${now.pid}) was ready again before it was seen restoring`);
        if (reason !== undefined && RESTORING[phase].test(reason)) return reason;
      }
      if (Date.now() > deadline) throw new Error(`${id} was not seen restoring its state ${timeoutMs} ms after its kill`);
      await sleep(100);
    }
  }

  /** Waits until `id` runs under another pid than `killed` and answers /readyz, as `crossvenue ps` probes it. */
  async untilBack(id: string, killed: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = this.processes().find((entry) => entry.id === id);
      if (now?.status === 'running' && now.pid !== null && now.pid !== killed && (await probeReady(now.metricsPort)).ready) return;
      if (Date.now() > deadline) throw new Error(`${id} was not running and ready again ${timeoutMs} ms after its kill`);
      await sleep(500);
    }
  }
}

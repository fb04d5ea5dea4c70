import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sleep } from './time.ts';

/** How to launch a server: a program with arguments, no shell. */
export interface LaunchSpec {
  command: string;
  args: string[];
  cwd: string;
}

export interface DetachedStart extends LaunchSpec {
  /** Receives the server's stdout and stderr (appended). */
  logFile: string;
  pidFile: string;
}

/**
 * Starts a server that outlives this process: its own process group (so that stopping it stops its
 * children too), output appended to its log file, its pid written to a pid file.
 */
export function startDetached({ command, args, cwd, logFile, pidFile }: DetachedStart): number {
  mkdirSync(dirname(logFile), { recursive: true });
  mkdirSync(dirname(pidFile), { recursive: true });
  const out = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', out, out] });
    // A program that cannot be started reports it as an event; the missing pid below says so already.
    child.on('error', () => undefined);
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    child.unref();
    writeFileSync(pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/**
 * The pid in `pidFile` when that process is alive and is ours: after a reboot a pid file can name an
 * unrelated process, so on Linux its command line must contain `marker` (the stack folder).
 */
export function runningPid(pidFile: string, marker: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid, marker) ? pid : undefined;
}

export function isAlive(pid: number, marker: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!existsSync('/proc/self/cmdline')) return true;
  try {
    // A zombie's command line is empty, so an exited child that was not reaped yet counts as gone.
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

export type StopOutcome = 'not running' | 'stopped' | 'killed';

/** SIGTERM to the process group, then SIGKILL once `graceMs` has passed; removes the pid file. */
export async function stopProcess(pidFile: string, marker: string, graceMs: number): Promise<StopOutcome> {
  const pid = runningPid(pidFile, marker);
  let outcome: StopOutcome = 'not running';
  if (pid !== undefined) {
    outcome = (await signalAndWait(pid, marker, 'SIGTERM', graceMs)) ? 'stopped' : 'killed';
    if (outcome === 'killed') await signalAndWait(pid, marker, 'SIGKILL', 5_000);
  }
  rmSync(pidFile, { force: true });
  return outcome;
}

async function signalAndWait(pid: number, marker: string, signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> {
  try {
    process.kill(-pid, signal);
  } catch {
    return !isAlive(pid, marker);
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid, marker)) return true;
    await sleep(200);
  }
  return !isAlive(pid, marker);
}

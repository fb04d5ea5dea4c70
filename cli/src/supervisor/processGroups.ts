import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface GroupLaunch {
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Receives stdout and stderr, appended. */
  logFile: string;
}

/**
 * Starts `node <args>` as the leader of a process group of its own (detached), so that stopping
 * the group stops whatever it started too, and a signal to the caller's group (Ctrl-C in a
 * terminal, a killed `npx`) does not reach it: it is stopped only on purpose, by its group.
 */
export function spawnGroupLeader({ args, env, cwd, logFile }: GroupLaunch): ChildProcess & { pid: number } {
  mkdirSync(dirname(logFile), { recursive: true });
  const out = openSync(logFile, 'a');
  try {
    const child = spawn(process.execPath, args, { cwd, env, detached: true, stdio: ['ignore', out, out] });
    if (child.pid === undefined) throw new Error(`could not start ${args.join(' ')}`);
    return child as ChildProcess & { pid: number };
  } finally {
    closeSync(out);
  }
}

const PROC = '/proc';

/**
 * The live (not zombie) members of a process group, from /proc. Linux never hands out a pid that
 * is still some group's id, so members found under a group id are the ones its leader started.
 */
function liveMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync(PROC)) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`${PROC}/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so fields count from the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry));
  }
  return members;
}

/**
 * Whether the group we started as `pgid` still has a process in it. When its leader is alive, its
 * command line must contain `marker`: after a reboot a stale state file can name an unrelated pid.
 */
export function isOurGroupAlive(pgid: number, marker: string): boolean {
  if (!existsSync(PROC)) return hasMembers(pgid);
  const members = liveMembers(pgid);
  if (members.length === 0) return false;
  if (!members.includes(pgid)) return true;
  try {
    return readFileSync(`${PROC}/${pgid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

/** Whether any process of the group is left, ours or not (see isOurGroupAlive for that). */
function hasMembers(pgid: number): boolean {
  if (existsSync(PROC)) return liveMembers(pgid).length > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to the group; a group that is gone already is no error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: nothing left to signal
  }
}

export type StopOutcome = 'not running' | 'stopped' | 'killed';

/** SIGTERM to the group, SIGKILL once `graceMs` has passed; resolves when no process of the group is left. */
export async function stopGroup(pgid: number, marker: string, graceMs: number): Promise<StopOutcome> {
  if (!isOurGroupAlive(pgid, marker)) return 'not running';
  if (await signalAndWait(pgid, 'SIGTERM', graceMs)) return 'stopped';
  await signalAndWait(pgid, 'SIGKILL', 10_000);
  return 'killed';
}

/**
 * Signals a group known to be ours and waits until none of it is left. It waits on the members,
 * not on the marker: a dying leader's command line reads empty before the process is gone.
 */
async function signalAndWait(pgid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> {
  signalGroup(pgid, signal);
  const deadline = Date.now() + timeoutMs;
  while (hasMembers(pgid)) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isOurGroupAlive, spawnGroupLeader, stopGroup } from './processGroups.ts';

const dir = mkdtempSync(join(tmpdir(), 'crossvenue-groups-'));
const MARKER = 'crossvenue-group-test';

/** Alive and not a zombie (an exited child its parent has not reaped yet). */
function isProcessAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** A leader that starts a grandchild in its group, prints the grandchild's pid, and (optionally) ignores SIGTERM. */
function startLeader(name: string, ignoreTerm: boolean) {
  const script = `
    const { spawn } = require('node:child_process');
    ${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''}
    const grandchild = spawn('sleep', ['600'], { stdio: 'ignore' });
    console.log(grandchild.pid);
    setInterval(() => {}, 1000);`;
  const logFile = join(dir, `${name}.log`);
  const leader = spawnGroupLeader({ args: ['-e', script, MARKER], env: process.env, cwd: dir, logFile });
  return { leader, grandchild: () => Number.parseInt(readFileSync(logFile, 'utf8'), 10) };
}

describe('process groups', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops a leader and what it started with SIGTERM to the group', async () => {
    const { leader, grandchild } = startLeader('polite', false);
    await expect.poll(grandchild).toBeGreaterThan(0);
    expect(isOurGroupAlive(leader.pid, MARKER)).toBe(true);
    expect(isOurGroupAlive(leader.pid, 'somebody else')).toBe(false);

    expect(await stopGroup(leader.pid, MARKER, 10_000)).toBe('stopped');
    expect(isProcessAlive(grandchild())).toBe(false);
    expect(isOurGroupAlive(leader.pid, MARKER)).toBe(false);
    expect(await stopGroup(leader.pid, MARKER, 10_000)).toBe('not running');
  });

  it('kills a group that ignores SIGTERM once the grace has passed', async () => {
    const { leader, grandchild } = startLeader('stubborn', true);
    await expect.poll(grandchild).toBeGreaterThan(0);
    expect(await stopGroup(leader.pid, MARKER, 500)).toBe('killed');
    expect(isProcessAlive(leader.pid)).toBe(false);
    expect(isProcessAlive(grandchild())).toBe(false);
  });

  it('still finds the group when its leader is gone but a process it started is not', async () => {
    const { leader, grandchild } = startLeader('orphaning', false);
    await expect.poll(grandchild).toBeGreaterThan(0);
    process.kill(leader.pid, 'SIGKILL');
    await expect.poll(() => isProcessAlive(leader.pid)).toBe(false);
    expect(isOurGroupAlive(leader.pid, MARKER)).toBe(true);
    expect(await stopGroup(leader.pid, MARKER, 10_000)).toBe('stopped');
    expect(isProcessAlive(grandchild())).toBe(false);
  });
});

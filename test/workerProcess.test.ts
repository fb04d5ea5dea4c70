import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, exited, freePorts, listen, output } from './support/workerProcesses.ts';

const children: ChildProcess[] = [];
const pids: number[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const pid of pids.splice(0)) if (!exited(pid)) process.kill(pid, 'SIGKILL');
});

interface VenueLine {
  venues: Array<{ name: string; restUrl: string; accounts: Array<{ name: string; apiKey: string; secret: string }> }>;
}
const venueLine = (stdout: string) => stdout.split('\n').find((line) => line.startsWith('{"venues":'));

// Each case starts the real command (node + tsx) in a child process: seconds on a loaded 2-core machine.
describe('crossvenue worker as a process', { timeout: 120_000 }, () => {
  it('simulated-venue starts without Kafka topics, prints its account keys on stdout, serves /healthz and /readyz, and stops on SIGTERM', async () => {
    const [simPort, metricsPort] = [await freePorts(3), await freePorts(1)];
    const worker = spawn(process.execPath, [BIN, 'worker', 'simulated-venue'], { env: { ...process.env, SIM_PORT: String(simPort), METRICS_PORT: String(metricsPort), LOG_LEVEL: 'info' } });
    children.push(worker);
    const out = output(worker);
    await waitFor('the venue line', () => venueLine(out.stdout()) !== undefined || worker.exitCode !== null, 90_000);
    expect(out.stderr()).toBe('');

    const { venues } = JSON.parse(venueLine(out.stdout())!) as VenueLine;
    expect(venues.map((venue) => venue.restUrl)).toEqual([0, 1, 2].map((i) => `http://127.0.0.1:${simPort + i}`));
    for (const venue of venues) expect(venue.accounts[0]).toEqual({ name: 'demo', apiKey: expect.stringMatching(/^[0-9a-f]{32}$/), secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const health = await fetch(`http://127.0.0.1:${metricsPort}/healthz`);
    expect(health.status).toBe(200);
    // No input topics: ready once started.
    await waitFor('ready', async () => (await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).status === 200);
    expect(await (await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).json()).toEqual({ ready: true });

    worker.kill('SIGTERM');
    const code = await new Promise((resolve) => worker.once('exit', resolve));
    expect(code).toBe(0);
    // The keys are on stdout once, as data; no log line carries a secret.
    const logLines = out.stdout().split('\n').filter((line) => line.includes('"component"'));
    expect(logLines.length).toBeGreaterThan(0);
    for (const venue of venues) expect(logLines.filter((line) => line.includes(venue.accounts[0]!.secret))).toEqual([]);
  });

  it('stops with one line naming METRICS_PORT when another process holds the port', async () => {
    const holder = await listen(0);
    const port = (holder.address() as { port: number }).port;
    try {
      const result = spawnSync(process.execPath, [BIN, 'worker', 'simulated-venue'], { encoding: 'utf8', env: { ...process.env, METRICS_PORT: String(port), SIM_PORT: String(await freePorts(3)) }, timeout: 90_000 });
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe(`crossvenue: METRICS_PORT: port ${port} is already in use (another worker on this host?); set METRICS_PORT to a free port`);
      expect(venueLine(result.stdout)).toBeUndefined();
    } finally {
      holder.close();
    }
  });

  it('stops when the process that started it is killed (npx → npm exec → sh → node leaves no orphan)', async () => {
    const env = { ...process.env, SIM_PORT: String(await freePorts(3)), METRICS_PORT: String(await freePorts(1)) };
    // The shell stays the worker's parent (it waits), as the shell under npm exec does.
    const shell = spawn('/bin/sh', ['-c', `"${process.execPath}" "${BIN}" worker simulated-venue & echo "pid $!"; wait`], { env });
    children.push(shell);
    const out = output(shell);
    await waitFor('the worker started', () => venueLine(out.stdout()) !== undefined || shell.exitCode !== null, 90_000);
    const pid = Number(/^pid (\d+)$/m.exec(out.stdout())?.[1]);
    expect(pid).toBeGreaterThan(0);
    pids.push(pid);
    expect(exited(pid)).toBe(false);

    shell.kill('SIGKILL');
    await waitFor('the orphaned worker gone', () => exited(pid), 30_000);
    expect(out.stdout()).toContain('parent exited: stopping simulated-venue');
  });
});

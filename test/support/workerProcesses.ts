import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Test support for tests that run `crossvenue worker …` as a child process. */

export const BIN = fileURLToPath(new URL('../../cli/bin/crossvenue.js', import.meta.url));

/** Listens on `port` (0: any free one) on loopback. */
export function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject).listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** The first of `count` consecutive ports free right now (the simulated venues take SIM_PORT, +1, +2). */
export async function freePorts(count = 1): Promise<number> {
  for (;;) {
    const probe = await listen(0);
    const first = (probe.address() as { port: number }).port;
    const held = [probe];
    try {
      for (let i = 1; i < count; i++) held.push(await listen(first + i));
      return first;
    } catch {
      // one of the next ports is taken: try another first port
    } finally {
      await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
    }
  }
}

/** Whether a process is gone; a zombie (exited, not yet reaped by its new parent) counts as gone. */
export function exited(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return true;
  }
}

/** A child's stdout and stderr so far, collected as they come. */
export function output(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { stdout: () => stdout, stderr: () => stderr };
}

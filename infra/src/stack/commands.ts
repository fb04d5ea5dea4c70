import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

export interface CommandResult {
  code: number | null;
  /** stdout and stderr interleaved, capped to the last 64 KiB: enough to explain a failure. */
  output: string;
}

const OUTPUT_CAP = 64 * 1024;

/** Runs a command to completion (no shell) and collects what it printed. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_CAP);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, output }));
  });
}

/** The line of a failed command's output that says what went wrong, without colour codes. */
export function failureLine(output: string): string {
  // eslint-disable-next-line no-control-regex
  const lines = output.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((line) => line.trim()).filter(Boolean);
  // Maven and apt-get put the cause on their first error line and follow it with generic advice.
  const line = lines.find((l) => l.startsWith('[ERROR]') || l.startsWith('E:')) ?? lines.at(-1) ?? 'no output';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

// Debian installs servers (clickhouse-server) in the sbin folders, which a non-root PATH often lacks.
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The absolute path of an executable on PATH (or in the sbin folders), or undefined. */
export async function findExecutable(name: string): Promise<string | undefined> {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@crossvenue/runtime';

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, keeping its output (a failure is reported by the caller, with it). */
export function runCommand(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

/**
 * The python of a virtual environment with a requirements file installed, kept between runs under
 * the temp folder as `<name>-<hash of the file>`: a changed file gets a fresh one. The marker is
 * written only after pip succeeded, so an interrupted install is redone.
 */
export async function pythonWithRequirements(requirements: string, name: string, logger: Logger): Promise<string> {
  const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex').slice(0, 12);
  const venv = join(tmpdir(), `${name}-${hash}`);
  const python = join(venv, 'bin', 'python');
  const marker = join(venv, 'requirements.sha256');
  if (existsSync(marker) && existsSync(python)) {
    logger.info({ venv }, 'reusing the Python venv: requirements unchanged');
    return python;
  }
  const started = Date.now();
  rmSync(venv, { recursive: true, force: true });
  logger.info({ venv }, 'creating the Python venv');
  const created = await runCommand('python3', ['-m', 'venv', venv]);
  if (created.code !== 0) throw new Error(`python3 -m venv ${venv} failed (exit ${created.code}): ${lastLine(created.stderr || created.stdout)}`);
  logger.info({ requirements }, 'installing the requirements with pip (binary wheels only)');
  const pip = await runCommand(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--progress-bar', 'off', '--only-binary=:all:', '-r', requirements]);
  if (pip.code !== 0) throw new Error(`pip install -r ${requirements} failed (exit ${pip.code}): ${lastLine(pip.stderr || pip.stdout)}`);
  writeFileSync(marker, `${hash}\n`);
  logger.info({ venv, seconds: (Date.now() - started) / 1000 }, 'Python venv ready');
  return python;
}

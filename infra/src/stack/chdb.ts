import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@crossvenue/runtime/process';
import { failureLine, findExecutable, runCommand } from './commands.ts';
import { stackPaths, type StackPaths } from './paths.ts';

/**
 * chDB: the current ClickHouse engine as a Python library (PyPI `chdb-core`), in a virtual
 * environment of the stack's own. Not a server: the tests run every DDL statement and report on
 * it beside the 18.16 server, so the SQL is kept to what both understand (issue #23).
 */
export const CHDB_CORE_VERSION = '26.9.0';

/** The Python of the stack's chDB environment. */
export function chdbPython(paths: StackPaths = stackPaths()): string {
  return join(paths.lib('chdb'), 'bin', 'python');
}

/** Whether the environment has the pinned chdb-core. */
async function installed(python: string): Promise<boolean> {
  if (!existsSync(python)) return false;
  const { code, output } = await runCommand(python, ['-c', 'import importlib.metadata as m; print(m.version("chdb-core"))']);
  return code === 0 && output.trim() === CHDB_CORE_VERSION;
}

/** Installs chdb-core into `<stack>/lib/chdb` unless it is there; returns why it could not, or undefined. */
export async function installChdb(paths: StackPaths, logger: Logger): Promise<string | undefined> {
  const python = chdbPython(paths);
  if (await installed(python)) return undefined;
  const system = await findExecutable('python3');
  if (!system) return 'python3 not found';
  logger.info(`installing chdb-core ${CHDB_CORE_VERSION} (a current ClickHouse engine the tests check the SQL on) into ${paths.lib('chdb')}`);
  const venv = await runCommand(system, ['-m', 'venv', paths.lib('chdb')]);
  if (venv.code !== 0) return `python3 -m venv failed: ${failureLine(venv.output)}`;
  const pip = await runCommand(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', `chdb-core==${CHDB_CORE_VERSION}`]);
  if (pip.code !== 0) return `pip install chdb-core==${CHDB_CORE_VERSION} failed: ${failureLine(pip.output)}`;
  return (await installed(python)) ? undefined : `chdb-core ${CHDB_CORE_VERSION} not importable after pip install`;
}

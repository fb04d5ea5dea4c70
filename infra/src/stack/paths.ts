import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is infra/src/stack/paths.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The pinned Maven projects that name the Kafka and schema registry artifacts. */
export const MAVEN_PROJECTS_DIR = fileURLToPath(new URL('../../maven/', import.meta.url));

/** Where the local stack keeps everything, one folder per kind of file and one entry per service. */
export interface StackPaths {
  root: string;
  /** Server data; survives `down` and `up` so that topics, schema ids and tables persist. */
  data: (service: string) => string;
  /** Rendered configuration, rewritten on every start. */
  conf: (service: string) => string;
  /** Installed artifacts, resolved once. */
  lib: (service: string) => string;
  log: (service: string) => string;
  pidFile: (service: string) => string;
}

/** `<repo>/.stack` (git-ignored), or `CROSSVENUE_STACK_DIR` when set. */
export function stackPaths(env: Record<string, string | undefined> = process.env): StackPaths {
  const override = env.CROSSVENUE_STACK_DIR?.trim();
  const root = override ? resolve(override) : join(REPO_ROOT, '.stack');
  return {
    root,
    data: (service) => join(root, 'data', service),
    conf: (service) => join(root, 'conf', service),
    lib: (service) => join(root, 'lib', service),
    log: (service) => join(root, 'logs', `${service}.log`),
    pidFile: (service) => join(root, 'run', `${service}.pid`),
  };
}

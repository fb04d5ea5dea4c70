import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEPLOY = join(ROOT, 'infra', 'deploy');
export const COMPOSE_DIR = join(DEPLOY, 'compose');
export const K8S_DIR = join(DEPLOY, 'k8s');

/** One YAML file, with merge keys (`<<: *worker`) resolved as Docker Compose resolves them. */
export function readYaml(path: string): unknown {
  return parse(readFileSync(path, 'utf8'), { merge: true });
}

/** Every document of every YAML file in a folder, with the file it came from. */
export function yamlDocuments(folder: string): Array<{ file: string; document: unknown }> {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .flatMap((name) =>
      parseAllDocuments(readFileSync(join(folder, name), 'utf8')).map((document) => {
        if (document.errors.length > 0) throw new Error(`${name}: ${document.errors[0]!.message}`);
        return { file: name, document: document.toJS() as unknown };
      }),
    );
}

/** One process of a config's plan, as `crossvenue config check --json` prints it (cli/src/config/planWorkers.ts). */
export interface PlannedProcess {
  id: string;
  worker: string;
  env: Record<string, string>;
  secrets: Record<string, { env: string } | { file: string; key: string }>;
}

const crossvenue = async (...args: string[]) => (await promisify(execFile)(process.execPath, ['cli/bin/crossvenue.js', ...args], { cwd: ROOT })).stdout;

/**
 * The processes a config file runs, from the command that checks it: what each container's
 * CROSSVENUE_INSTANCE must name, and the settings (METRICS_PORT, secrets) it will have.
 */
export async function planOf(configFile: string): Promise<PlannedProcess[]> {
  return (JSON.parse(await crossvenue('config', 'check', configFile, '--json')) as { processes: PlannedProcess[] }).processes;
}

/**
 * The workers `crossvenue worker --help` lists: the names a manifest may run. Read from the command
 * a container runs, so a manifest naming a worker the CLI no longer has fails here, not at deploy.
 */
export async function knownWorkers(): Promise<string[]> {
  // Each worker is a line of its own name; its description and settings are indented below it.
  return (await crossvenue('worker', '--help')).split('\n').filter((line) => /^[a-z][a-z-]*$/.test(line));
}

/** The secrets files a process reads: those its secrets name, and the gateway's CROSSVENUE_SECRETS_FILE. */
export function secretFiles(process: PlannedProcess): string[] {
  const files = Object.values(process.secrets).flatMap((ref) => ('file' in ref ? [ref.file] : []));
  if (process.env.CROSSVENUE_SECRETS_FILE) files.push(process.env.CROSSVENUE_SECRETS_FILE);
  return [...new Set(files)].sort();
}

/** The environment variables a process's secrets come from. */
export function secretVariables(process: PlannedProcess): string[] {
  return [...new Set(Object.values(process.secrets).flatMap((ref) => ('env' in ref ? [ref.env] : [])))].sort();
}

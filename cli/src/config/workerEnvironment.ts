import { readFileSync } from 'node:fs';
import { CREDENTIAL_FIELDS } from '@crossvenue/connectors';
import { SettingError } from '@crossvenue/runtime';
import { ConfigError } from './ConfigError.ts';
import { loadConfig } from './loadConfig.ts';
import { planProcesses, type PlannedProcess, type SecretRef } from './planWorkers.ts';
import { REPLICABLE, type PlannedWorker } from './replicas.ts';

type Env = NodeJS.ProcessEnv;

/**
 * The settings of one process of a config: with CROSSVENUE_CONFIG (the file) and
 * CROSSVENUE_INSTANCE (a process id of its plan) set, the process's settings from the config,
 * secrets resolved, under every variable already set in `env` (so one value can be overridden);
 * otherwise `env` itself. `crossvenue worker` calls it first, so a worker on a host under
 * `crossvenue up` and one in a container configure themselves the same way.
 */
export function workerEnvironment(env: Env): Env {
  const file = env.CROSSVENUE_CONFIG?.trim();
  const instance = env.CROSSVENUE_INSTANCE?.trim();
  // CROSSVENUE_CONFIG alone is also the default file of `config check` and `up`: a worker started by hand ignores it.
  if (!instance) return env;
  if (!file) throw new SettingError('CROSSVENUE_CONFIG', `the config file that instance "${instance}" (CROSSVENUE_INSTANCE) belongs to`, '');
  const config = loadConfig(file);
  const process = instanceOf(planProcesses(config), instance) ?? instanceOf(planProcesses(config, { replicas: replicaOf(instance) }), instance);
  if (!process) {
    const known = planProcesses(config).map((candidate) => candidate.id);
    throw new ConfigError([`CROSSVENUE_INSTANCE: "${instance}" is not a process of ${file}; its processes: ${known.join(', ')}`]);
  }
  const overrides = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  return { ...process.env, ...resolveSecrets(process, overrides), ...overrides };
}

const instanceOf = (processes: PlannedProcess[], id: string) => processes.find((process) => process.id === id);

/** "router-3" is the third router whatever the config's replica count (`up --replicas` may have asked for more). */
function replicaOf(instance: string): Record<string, number> | undefined {
  const match = /^(.+)-(\d+)$/.exec(instance);
  const shared = match && REPLICABLE[match[1] as PlannedWorker];
  const n = Number(match?.[2]);
  return shared && n >= 2 && n <= shared.maxReplicas ? { [match[1]!]: n } : undefined;
}

/**
 * The process's secret settings that `env` does not set already. A reference that does not
 * resolve is one line naming the config field and the variable or file, never a value; both
 * halves of a pair from one file missing is one line.
 */
function resolveSecrets(process: PlannedProcess, env: Env): Record<string, string> {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  const files = new Map<string, unknown>();
  for (const [setting, ref] of Object.entries(process.secrets)) {
    if (env[setting] !== undefined) continue;
    const where = process.origins[setting];
    const value = 'env' in ref ? env[ref.env] : fromFile(ref, files, (problem) => problems.push(`${where}: ${problem}`));
    if (value) values[setting] = value;
    else if ('env' in ref) problems.push(`${where}: environment variable ${ref.env} is not set (${setting} of ${process.id})`);
  }
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return values;
}

const ENTRY = new RegExp(`^venueCredentials\\[([^|\\]]+)\\|([^\\]]+)\\]\\.(${CREDENTIAL_FIELDS.join('|')})$`);

/** A venueCredentials entry's field from a CROSSVENUE_SECRETS_FILE-format file, read once per file. */
function fromFile(ref: Extract<SecretRef, { file: string }>, files: Map<string, unknown>, problem: (what: string) => void): string | undefined {
  if (!files.has(ref.file)) {
    try {
      files.set(ref.file, JSON.parse(readFileSync(ref.file, 'utf8')));
    } catch (error) {
      // A JSON syntax error quotes the text around it, which may be a secret: only the kind of failure is shown.
      const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof SyntaxError ? 'not JSON' : 'unreadable');
      files.set(ref.file, undefined);
      problem(`cannot read secrets file ${ref.file} (${reason})`);
      return undefined;
    }
  }
  const content = files.get(ref.file) as { venueCredentials?: unknown } | undefined;
  if (content === undefined) return undefined;
  const [, venue, account, field] = ENTRY.exec(ref.key) ?? [];
  const entries = Array.isArray(content.venueCredentials) ? (content.venueCredentials as Array<Record<string, unknown>>) : [];
  const entry = entries.find((candidate) => candidate?.venue === venue && candidate?.account === account);
  const value = entry?.[field!];
  if (typeof value === 'string' && value !== '') return value;
  const named = `venueCredentials entry for venue "${venue}" account "${account}"`;
  problem(entry ? `secrets file ${ref.file}: the ${named} has no "${field}"` : `secrets file ${ref.file} has no ${named}`);
  return undefined;
}

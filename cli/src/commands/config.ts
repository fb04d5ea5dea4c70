import { relative } from 'node:path';
import { parseArgs, UsageError } from '../args.ts';
import { ConfigError, loadConfig, planWorkers, type SecretRef, type WorkerProcess } from '../config/index.ts';

export const HELP = `usage: crossvenue config check [F] [--json]

Validates a config file (default ./crossvenue.yaml, or CROSSVENUE_CONFIG) against
config/crossvenue.schema.json, checks that its parts agree, and prints what would run: each
process, its worker and its settings. Secrets are shown as references (VENUE_API_SECRET ← $NAME),
never their values. --json prints the plan as JSON, secrets as references.

A wrong file exits 1 with one line per problem on stderr, each naming its field:
  accounts[2].portfolio: unknown portfolio "desk-9"

The format, with examples: config/README.md, config/examples/.`;

/** `crossvenue config check [F] [--json]`: what a config would run, or every reason it cannot. */
export async function configCommand(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, { flags: ['json'] });
  const [action, file, ...extra] = positionals;
  if (action !== 'check') throw new UsageError(action ? `unknown config action "${action}"; known: check` : "config needs an action: 'crossvenue config check [F]'");
  if (extra.length > 0) throw new UsageError(`config check takes one file, got also "${extra[0]}"`);
  const path = file ?? (process.env.CROSSVENUE_CONFIG?.trim() || 'crossvenue.yaml');

  let processes: WorkerProcess[];
  try {
    processes = planWorkers(loadConfig(path));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.lines) console.error(line);
    console.error(`config ${path}: ${error.lines.length} problem${error.lines.length === 1 ? '' : 's'}; nothing would run`);
    return 1;
  }
  if (flags.has('json')) {
    console.log(JSON.stringify({ config: path, processes }, null, 2));
    return 0;
  }
  for (const process of processes) {
    console.log(process.id === process.worker ? process.id : `${process.id} (${process.worker})`);
    for (const [key, value] of Object.entries(process.env)) console.log(`  ${key}=${value}`);
    for (const [key, ref] of Object.entries(process.secrets)) console.log(`  ${key} ← ${reference(ref)}`);
  }
  console.log(`config ${path}: valid; ${processes.length} processes would run (${countByWorker(processes)})`);
  return 0;
}

/** Where a secret comes from, never what it is. */
function reference(ref: SecretRef): string {
  if ('env' in ref) return `$${ref.env}`;
  const file = relative(process.cwd(), ref.file);
  return `${file.startsWith('..') ? ref.file : file} ${ref.key}`;
}

function countByWorker(processes: WorkerProcess[]): string {
  const counts = new Map<string, number>();
  for (const process of processes) counts.set(process.worker, (counts.get(process.worker) ?? 0) + 1);
  return [...counts].map(([worker, count]) => (count === 1 ? worker : `${worker} ×${count}`)).join(', ');
}

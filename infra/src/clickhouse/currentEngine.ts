import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chdbPython } from '../stack/chdb.ts';

const RUNNER = fileURLToPath(new URL('./currentEngine.py', import.meta.url));

export interface CurrentEngineRequest {
  /** DDL, run first, in order. */
  statements: readonly string[];
  /** Rows in ClickHouse's TabSeparated text, per table (e.g. dumped from the 18.16 server). */
  inserts: ReadonlyArray<{ table: string; tsv: string }>;
  /** Named queries whose rows to return. */
  queries: Readonly<Record<string, string>>;
}

export type CurrentEngineResult = { rows: Array<Record<string, unknown>> } | { error: string };

/** Whether `stack up` installed chDB (installChdb). */
export function haveCurrentEngine(): boolean {
  return existsSync(chdbPython());
}

/**
 * Runs a schema, rows and queries on chDB, the current ClickHouse engine (stack/chdb.ts), in one
 * fresh in-memory session, and returns each query's rows, or the one-line error it refused it with.
 */
export async function runOnCurrentEngine(request: CurrentEngineRequest): Promise<Record<string, CurrentEngineResult>> {
  const child = spawn(chdbPython(), [RUNNER], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  child.stdin.end(JSON.stringify(request));
  const code = await exited;
  if (code !== 0) throw new Error(`chDB runner exited ${code}: ${stderr.trim().split('\n').at(-1) ?? 'no output'}`);
  const answers = JSON.parse(stdout) as Record<string, { rows: string } | { error: string }>;
  return Object.fromEntries(
    Object.entries(answers).map(([name, answer]) => [
      name,
      'error' in answer ? answer : { rows: answer.rows.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) },
    ]),
  );
}

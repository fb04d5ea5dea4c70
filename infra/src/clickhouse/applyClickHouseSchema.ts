import { readdir, readFile } from 'node:fs/promises';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Credentials } from '@crossvenue/runtime/process';
import { alterColumnStatements, declaredTable } from './tableColumns.ts';

const DDL_DIR = new URL('../../clickhouse/', import.meta.url);

/**
 * The schema: every `infra/clickhouse/*.sql` file in name order (the audit tables, then the views
 * the reports share), each with its statements. What applyClickHouseSchema runs, and what a check
 * on another engine runs.
 */
export async function schemaFiles(): Promise<Array<{ file: string; statements: string[] }>> {
  const files = (await readdir(DDL_DIR)).filter((name) => name.endsWith('.sql')).sort();
  return Promise.all(files.map(async (file) => ({ file, statements: splitStatements(await readFile(new URL(file, DDL_DIR), 'utf8')) })));
}

/**
 * Applies the schema (schemaFiles). Each statement is written to be re-runnable (IF NOT EXISTS;
 * a view is dropped and created again), so applying the schema to a server that has it changes
 * nothing; a table created by an older schema gets the columns it lacks and the column types it
 * has now. Returns the files applied. Without `auth` the server's `default` user runs it.
 */
export async function applyClickHouseSchema(url: string, auth?: Credentials): Promise<string[]> {
  const files = await schemaFiles();
  const client = createClient({ url, ...auth });
  try {
    for (const { file, statements } of files) {
      for (const statement of statements) {
        const declared = declaredTable(statement);
        const run = async (query: string) =>
          client.command({ query }).catch((error: Error) => {
            throw new Error(`clickhouse schema ${file}: ${error.message.split('\n')[0]}`);
          });
        await run(statement);
        if (declared) for (const alter of alterColumnStatements(declared, await existingColumns(client, declared.table))) await run(alter);
      }
    }
  } finally {
    await client.close();
  }
  return files.map(({ file }) => file);
}

/** Statements end with `;` at the end of a line; `--` comment lines are dropped. */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*$/m)
    .map((statement) => statement.trim())
    .filter(Boolean);
}

async function existingColumns(client: ClickHouseClient, table: string): Promise<Map<string, string>> {
  const [database, name] = table.split('.') as [string, string];
  // 18.16 takes no query parameters; both names come from our own generated DDL.
  const result = await client.query({ query: `SELECT name, type FROM system.columns WHERE database = '${database}' AND table = '${name}'`, format: 'JSONEachRow' });
  return new Map((await result.json<{ name: string; type: string }>()).map((row) => [row.name, row.type]));
}

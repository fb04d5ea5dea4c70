import { readdir, readFile } from 'node:fs/promises';
import { createClient } from '@clickhouse/client';

const DDL_DIR = new URL('../../clickhouse/', import.meta.url);

/**
 * Applies every `infra/clickhouse/*.sql` file, in name order. Each statement is written to be
 * re-runnable (IF NOT EXISTS), so applying the schema to a server that has it changes nothing.
 * Returns the files applied.
 */
export async function applyClickHouseSchema(url: string): Promise<string[]> {
  const files = (await readdir(DDL_DIR)).filter((name) => name.endsWith('.sql')).sort();
  const client = createClient({ url });
  try {
    for (const file of files) {
      for (const statement of splitStatements(await readFile(new URL(file, DDL_DIR), 'utf8'))) {
        await client.command({ query: statement }).catch((error: Error) => {
          throw new Error(`clickhouse schema ${file}: ${error.message.split('\n')[0]}`);
        });
      }
    }
  } finally {
    await client.close();
  }
  return files;
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

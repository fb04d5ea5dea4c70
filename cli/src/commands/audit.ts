import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { auditSchemaSql } from '@crossvenue/processors';
import { AUDITED_TOPICS } from '@crossvenue/schemas';
import { parseArgs, UsageError } from '../args.ts';

export const AUDIT_DDL_FILE = fileURLToPath(new URL('../../../infra/clickhouse/001_audit_tables.sql', import.meta.url));

export const HELP = `usage: crossvenue audit ddl [--write]

Prints the ClickHouse audit tables generated from the topic schemas; --write saves them to
infra/clickhouse/001_audit_tables.sql.`;

/** `crossvenue audit ddl [--write]`: the ClickHouse audit tables generated from the topic schemas. */
export async function auditCommand(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, { flags: ['write'] });
  const [action] = positionals;
  if (action !== 'ddl') throw new UsageError(`audit needs ddl, got ${action ? `"${action}"` : 'nothing'}`);
  const sql = auditSchemaSql(AUDITED_TOPICS);
  if (!flags.has('write')) {
    process.stdout.write(sql);
    return 0;
  }
  await writeFile(AUDIT_DDL_FILE, sql);
  console.log(`audit: wrote ${AUDITED_TOPICS.length} tables to ${AUDIT_DDL_FILE}`);
  return 0;
}

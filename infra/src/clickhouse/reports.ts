import { readdir, readFile } from 'node:fs/promises';
import { createClient } from '@clickhouse/client';
import type { Credentials } from '@crossvenue/runtime/process';

const REPORTS_DIR = new URL('../../clickhouse/reports/', import.meta.url);

/** A report asked for wrongly (unknown name, bad parameter): the message says what is expected. */
export class ReportError extends Error {
  override readonly name = 'ReportError';
}

export interface Report {
  name: string;
  /** What the first comment lines of the SQL file say. */
  description: string;
  /** The `{name}` placeholders of the query; `_ms` ones are integers, the others strings. */
  parameters: string[];
  sql: string;
}

/** The named queries in `infra/clickhouse/reports/*.sql`. */
export async function listReports(): Promise<Report[]> {
  const files = (await readdir(REPORTS_DIR)).filter((file) => file.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(new URL(file, REPORTS_DIR), 'utf8');
      const description = sql
        .split('\n')
        .filter((line) => line.startsWith('-- ') && !line.startsWith('-- Parameter'))
        .map((line) => line.slice(3))
        .join(' ');
      return { name: file.replace(/\.sql$/, ''), description, parameters: [...new Set([...sql.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))], sql };
    }),
  );
}

/**
 * The query with its parameters substituted as SQL literals. ClickHouse 18.16 has no query
 * parameters, so values are checked (`_ms` integers) or quoted and escaped here.
 */
export function renderReport(report: Report, values: Record<string, string | undefined>): string {
  return report.sql.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name] ?? (name.endsWith('_ms') ? '0' : '');
    if (name.endsWith('_ms')) {
      if (!/^\d+$/.test(value)) throw new ReportError(`${report.name}: ${name} must be epoch milliseconds, got "${value}"`);
      return value;
    }
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  });
}

export async function runReport(clickhouseUrl: string, name: string, values: Record<string, string | undefined>, auth?: Credentials) {
  const reports = await listReports();
  const report = reports.find((candidate) => candidate.name === name);
  if (!report) throw new ReportError(`unknown report "${name}"; known: ${reports.map((r) => r.name).join(', ')}`);
  const client = createClient({ url: clickhouseUrl, ...auth });
  try {
    const result = await client.query({ query: renderReport(report, values), format: 'JSONEachRow' });
    return { report, rows: await result.json<Record<string, unknown>>() };
  } finally {
    await client.close();
  }
}

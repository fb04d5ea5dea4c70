import { listReports, runReport } from '@crossvenue/infra';
import { resolveEndpoints } from '@crossvenue/runtime';
import { parseArgs, UsageError } from '../args.ts';

export const HELP = `usage: crossvenue report [<name>] [--intent-id ID] [--strategy NAME] [--since-ms MS] [--json]

Runs a named audit or transaction-cost query (infra/clickhouse/reports/<name>.sql) against the
ClickHouse audit log at CLICKHOUSE_URL. Without a name, lists the reports and their options.`;

/**
 * `crossvenue report <name> [--intent-id ID] [--strategy NAME] [--since-ms MS] [--json]`: a named audit or TCA query
 * (`infra/clickhouse/reports/<name>.sql`) against the ClickHouse audit log. Without a name, lists them.
 */
export async function reportCommand(argv: string[]): Promise<number> {
  const { positionals, options, flags } = parseArgs(argv, { valued: ['intent-id', 'strategy', 'since-ms'], flags: ['json'] });
  const [name] = positionals;
  if (!name) {
    for (const report of await listReports()) {
      const parameters = report.parameters.map((p) => `--${p.replace(/_/g, '-')}`).join(' ');
      console.log(`${report.name} ${parameters}\n  ${report.description}\n`);
    }
    return 0;
  }
  const values = Object.fromEntries([...options].map(([option, value]) => [option.replace(/-/g, '_'), value]));
  const endpoints = resolveEndpoints();
  const { report, rows } = await runReport(endpoints.clickhouseUrl, name, values, endpoints.clickhouseAuth);
  const unknown = Object.keys(values).filter((key) => !report.parameters.includes(key));
  if (unknown.length > 0) throw new UsageError(`${name} takes ${report.parameters.map((p) => `--${p.replace(/_/g, '-')}`).join(', ') || 'no options'}, not --${unknown[0]!.replace(/_/g, '-')}`);
  if (flags.has('json')) console.log(JSON.stringify(rows, null, 2));
  else if (rows.length === 0) console.log(`${name}: no rows`);
  else console.table(rows.map((row) => ({ ...row, ...('payload' in row ? { payload: undefined } : {}) })));
  return 0;
}

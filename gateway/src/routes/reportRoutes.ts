import { HttpError, invalid } from '../http/HttpError.ts';
import { queryParameters } from '../requests/queryParameters.ts';
import { ok, type AuditReports, type GatewayDependencies, type Route } from './Route.ts';

function available(reports: AuditReports | undefined): AuditReports {
  if (!reports) throw new HttpError(503, 'no_audit_log', 'this run writes no audit log (the embedded run has no ClickHouse): reports need the pipeline under `crossvenue up`');
  return reports;
}

/**
 * The audit log's named reports over HTTP, as `crossvenue report` runs them: transaction costs per
 * intent and rolled up, markouts, the venue scorecard, the intent trail, arbitrage results. Read
 * role. Each report takes only its own parameters; a `_ms` one takes epoch milliseconds.
 */
export function reportRoutes({ reports }: GatewayDependencies): Route[] {
  return [
    {
      method: 'GET',
      path: '/reports',
      role: 'read',
      handle: async ({ query }) => {
        queryParameters(query, []);
        return ok({ reports: await available(reports).list() });
      },
    },
    {
      method: 'GET',
      path: '/reports/{name}',
      role: 'read',
      handle: async ({ params, query }) => {
        const audit = available(reports);
        const known = await audit.list();
        const report = known.find((candidate) => candidate.name === params.name);
        if (!report) throw new HttpError(404, 'not_found', `no report "${params.name}"; known: ${known.map(({ name }) => name).join(', ')}`);
        const values = queryParameters(query, report.parameters);
        for (const [name, value] of Object.entries(values)) {
          if (name.endsWith('_ms') && !/^\d+$/.test(value)) throw invalid(name, `must be epoch milliseconds, got "${value}"`);
        }
        return ok({ report: report.name, description: report.description, rows: await audit.run(report.name, values) });
      },
    },
  ];
}

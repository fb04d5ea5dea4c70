import { InProcessBus, MessageBus, createLogger } from '@crossvenue/runtime';
import { LocalCodec } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { IdempotencyKeys } from '../IdempotencyKeys.ts';
import { LiveState } from '../LiveState.ts';
import type { AuditReports } from './Route.ts';
import { reportRoutes } from './reportRoutes.ts';

/** The reports port as the gateway worker gives it, over a list of its own: what the routes ask of it, recorded. */
function auditReports(): AuditReports & { ran: Array<{ name: string; values: Record<string, string> }> } {
  const ran: Array<{ name: string; values: Record<string, string> }> = [];
  return {
    ran,
    list: async () => [
      { name: 'fill-markouts', description: 'Markouts per venue.', parameters: ['since_ms'] },
      { name: 'intent-tca', description: 'Costs per intent.', parameters: ['intent_id'] },
    ],
    run: async (name, values) => {
      ran.push({ name, values });
      return [{ venue: 'v', horizon_s: 5 }];
    },
  };
}

function routes(reports?: AuditReports) {
  const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('report-test', { level: 'silent' }));
  const all = reportRoutes({ state: new LiveState(), messages, idempotency: new IdempotencyKeys(), now: () => 7, reports });
  const get = (path: string, name: string | undefined, query: string) =>
    all.find((route) => route.path === path)!.handle({ principal: { name: 'viewer', role: 'read' }, params: name ? { name } : {}, query: new URLSearchParams(query), body: async () => ({}), idempotencyKey: undefined });
  return { list: (query = '') => get('/reports', undefined, query), report: (name: string, query = '') => get('/reports/{name}', name, query) };
}

describe('GET /reports', () => {
  it('lists the reports with their parameters, and runs one with the parameters given', async () => {
    const reports = auditReports();
    const { list, report } = routes(reports);
    expect((await list()).body).toEqual({ reports: await reports.list() });
    expect((await report('fill-markouts', 'since_ms=1700000000000')).body).toEqual({ report: 'fill-markouts', description: 'Markouts per venue.', rows: [{ venue: 'v', horizon_s: 5 }] });
    expect(reports.ran).toEqual([{ name: 'fill-markouts', values: { since_ms: '1700000000000' } }]);
  });

  it('refuses an unknown report, a parameter the report does not take and a time that is not epoch ms, before running anything', async () => {
    const reports = auditReports();
    const { report } = routes(reports);
    await expect(report('nope')).rejects.toMatchObject({ status: 404, message: 'no report "nope"; known: fill-markouts, intent-tca' });
    await expect(report('intent-tca', 'since_ms=1')).rejects.toMatchObject({ status: 400, field: 'since_ms' });
    await expect(report('fill-markouts', 'since_ms=yesterday')).rejects.toMatchObject({ status: 400, field: 'since_ms' });
    expect(reports.ran).toEqual([]);
  });

  it('says there is no audit log where the run has none (the embedded run)', async () => {
    const { list, report } = routes(undefined);
    await expect(list()).rejects.toMatchObject({ status: 503, code: 'no_audit_log' });
    await expect(report('intent-tca')).rejects.toMatchObject({ status: 503, code: 'no_audit_log' });
  });
});

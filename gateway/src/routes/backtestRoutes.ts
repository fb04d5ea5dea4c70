import { listRuns, readRun, RUN_FILES, RUN_ID, runFile, type RunFile } from '../backtests/savedBacktests.ts';
import { HttpError, invalid } from '../http/HttpError.ts';
import { queryLimit } from '../requests/queryLimit.ts';
import { queryParameters } from '../requests/queryParameters.ts';
import { ok, type GatewayDependencies, type Route, type RouteContext } from './Route.ts';

const LIST_LIMIT = { fallback: 100, max: 1000 };

/**
 * The report page's own policy: it is self-contained (inline styles and SVG, no script), so it may
 * load nothing and, sandboxed, runs in an origin of its own: a page planted in the folder cannot
 * act as the dashboard.
 */
const PAGE_HEADERS = { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox", 'x-content-type-options': 'nosniff' };

function available(folder: string | undefined): string {
  if (folder === undefined) throw new HttpError(503, 'no_backtests_folder', 'this gateway has no folder of saved backtest runs');
  return folder;
}

/**
 * The saved backtest runs (`crossvenue backtest` keeps each under the runs folder,
 * gateway/src/backtests/), read-only: the list with each run's summary figures, one run's JSON
 * report, its HTML page. Read role. Nothing outside the folder is ever served: an id is a folder
 * name of the folder (RUN_ID) and a file's real path must lie inside it.
 */
export function backtestRoutes({ backtests }: GatewayDependencies): Route[] {
  /** A file of the run `params.id`: 400 for what cannot be a run id, 404 for an id that is no run. */
  async function fileOf({ params, query }: RouteContext, file: RunFile): Promise<{ id: string; text: string }> {
    queryParameters(query, []);
    const folder = available(backtests);
    const id = params.id!;
    if (!RUN_ID.test(id)) throw invalid('id', `${JSON.stringify(id)} is not a run id (letters, digits, ".", "_" and "-")`);
    const text = await runFile(folder, id, file);
    if (text === undefined) throw new HttpError(404, 'not_found', `no backtest run "${id}" with a ${file}`, 'id');
    return { id, text };
  }

  /** A stored JSON file as data, or a one-line 500 naming the file when it cannot be read. */
  function parsed<T>(id: string, file: string, parse: () => T): T {
    try {
      return parse();
    } catch (error) {
      throw new HttpError(500, 'unreadable_run', `backtest run "${id}": ${file}: ${(error as Error).message.split('\n')[0]}`, 'id');
    }
  }

  return [
    {
      method: 'GET',
      path: '/backtests',
      role: 'read',
      handle: async ({ query }) => {
        queryParameters(query, ['limit']);
        const limit = queryLimit(query, LIST_LIMIT.fallback, LIST_LIMIT.max);
        return ok(await listRuns(available(backtests), limit));
      },
    },
    {
      method: 'GET',
      path: '/backtests/{id}',
      role: 'read',
      handle: async (context) => {
        const { id, text } = await fileOf(context, RUN_FILES.run);
        const run = parsed(id, RUN_FILES.run, () => readRun(id, text));
        const report = await fileOf(context, RUN_FILES.report);
        return ok({ run, report: parsed(id, RUN_FILES.report, () => JSON.parse(report.text) as Record<string, unknown>) });
      },
    },
    {
      method: 'GET',
      path: `/backtests/{id}/${RUN_FILES.page}`,
      role: 'read',
      handle: async (context) => {
        const { text } = await fileOf(context, RUN_FILES.page);
        return { status: 200, body: {}, page: { text, contentType: 'text/html; charset=utf-8', headers: PAGE_HEADERS } };
      },
    },
  ];
}

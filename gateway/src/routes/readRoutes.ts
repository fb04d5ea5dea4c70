import { HttpError } from '../http/HttpError.ts';
import { queryLimit } from '../requests/queryLimit.ts';
import { intentPath } from '../state/intentPath.ts';
import { ok, type GatewayDependencies, type Route } from './Route.ts';

const get = (path: string, handle: Route['handle']): Route => ({ method: 'GET', path, role: 'read', handle });

/** What the gateway shows: state, orders, fills, execution paths, books. All need only the read role. */
export function readRoutes({ state, now }: GatewayDependencies): Route[] {
  function historyOf(intentId: string) {
    const history = state.execution.history(intentId);
    const desired = state.execution.intent(intentId);
    if (!history || !desired) throw new HttpError(404, 'unknown_intent', `no intent ${intentId}`, 'intentId');
    return { history, desired };
  }

  return [
    get('/intents/{intentId}', async ({ params }) => {
      const { history, desired } = historyOf(params.intentId!);
      const orders = [...history.orders.values()];
      const openOrders = state.openOrders().filter((order) => order.intentId === history.intentId).length;
      return ok({ desired, actual: { orders, openOrders } });
    }),
    get('/intents/{intentId}/path', async ({ params }) => ok(intentPath(historyOf(params.intentId!).history))),
    get('/execution/account_status', async ({ query }) => {
      const portfolio = query.get('portfolio') ?? undefined;
      return ok({ asOfMs: now(), ...state.accountReport(portfolio), openOrders: state.openOrders(portfolio) });
    }),
    get('/execution/orders', async ({ query }) => {
      const portfolio = query.get('portfolio') ?? undefined;
      return ok({ asOfMs: now(), open: state.openOrders(portfolio), closed: state.execution.closedOrders(queryLimit(query, 100, 500), portfolio) });
    }),
    get('/execution/fills', async ({ query }) => {
      const portfolio = query.get('portfolio') ?? undefined;
      return ok({ asOfMs: now(), fills: state.execution.recentFills(queryLimit(query, 100, 1000), portfolio) });
    }),
    get('/execution/sync_status', async () => ok({ asOfMs: now(), accounts: state.syncReport() })),
    get('/market/books', async () => ok({ books: state.topOfBooks() })),
  ];
}

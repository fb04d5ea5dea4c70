import { ArbitrageGroupStateSchema, IntentStateSchema, SyncDecisionKindSchema } from '@crossvenue/schemas';
import { HttpError, invalid } from '../http/HttpError.ts';
import { oneOf, portfolioField, present } from '../requests/fields.ts';
import { queryLimit } from '../requests/queryLimit.ts';
import { queryParameters } from '../requests/queryParameters.ts';
import { intentPath } from '../state/intentPath.ts';
import { ok, type GatewayDependencies, type Route } from './Route.ts';

const get = (path: string, handle: Route['handle']): Route => ({ method: 'GET', path, role: 'read', handle });

/** What the gateway shows: state, intents and their status, orders, fills, execution paths, books, arbitrage groups, synchronizer decisions. All need only the read role. */
export function readRoutes({ state, now }: GatewayDependencies): Route[] {
  function historyOf(intentId: string) {
    const history = state.execution.history(intentId);
    const desired = state.execution.intent(intentId);
    if (!history || !desired) throw new HttpError(404, 'unknown_intent', `no intent ${intentId}`, 'intentId');
    return { history, desired };
  }

  return [
    get('/intents', async ({ query }) => {
      const parameters = queryParameters(query, ['portfolio', 'state', 'limit']);
      const filter = {
        ...(present(parameters, 'portfolio') && { portfolio: portfolioField(parameters) }),
        ...(present(parameters, 'state') && { state: oneOf(parameters, 'state', IntentStateSchema.symbols) }),
      };
      return ok({ asOfMs: now(), intents: state.execution.recentIntents(queryLimit(query, 50, 500), filter) });
    }),
    get('/intents/{intentId}', async ({ params }) => {
      const { history, desired } = historyOf(params.intentId!);
      const orders = [...history.orders.values()];
      const openOrders = state.openOrders().filter((order) => order.intentId === history.intentId).length;
      return ok({ desired, actual: { orders, openOrders }, status: history.status });
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
    get('/arbitrage/groups', async ({ query }) => {
      const parameters = queryParameters(query, ['strategy', 'state', 'limit']);
      if (parameters.strategy === '') throw invalid('strategy', 'must not be empty');
      const filter = {
        ...(present(parameters, 'strategy') && { strategy: parameters.strategy }),
        ...(present(parameters, 'state') && { state: oneOf(parameters, 'state', ArbitrageGroupStateSchema.symbols) }),
      };
      const groups = state.arbitrage.recent(queryLimit(query, 50, 500), filter);
      return ok({ asOfMs: now(), groups, precision: state.precision.of(groups.map(({ instrument }) => instrument)) });
    }),
    get('/sync/decisions', async ({ query }) => {
      const parameters = queryParameters(query, ['follower', 'kind', 'limit']);
      if (parameters.follower === '') throw invalid('follower', 'must not be empty');
      const filter = {
        ...(present(parameters, 'follower') && { follower: parameters.follower }),
        ...(present(parameters, 'kind') && { kind: oneOf(parameters, 'kind', SyncDecisionKindSchema.symbols) }),
      };
      const decisions = state.synchronizer.recent(queryLimit(query, 50, 500), filter);
      return ok({ asOfMs: now(), decisions, precision: state.precision.of(decisions.map(({ instrument }) => instrument)) });
    }),
    get('/sync/followers', async ({ query }) => {
      queryParameters(query, []);
      const followers = state.synchronizer.summaries();
      return ok({ asOfMs: now(), followers, precision: state.precision.of(followers.flatMap(({ instruments }) => instruments.map(({ instrument }) => instrument))) });
    }),
  ];
}

import { instrumentField, portfolioField, present } from '../requests/fields.ts';
import { queryLimit } from '../requests/queryLimit.ts';
import { queryParameters } from '../requests/queryParameters.ts';
import { executionQuality } from '../state/executionQuality.ts';
import { MidHistory } from '../state/midHistory.ts';
import { PnlHistory } from '../state/pnlHistory.ts';
import { ok, type GatewayDependencies, type Route } from './Route.ts';

/** The recent fills the execution-quality charts cover (the gateway keeps the last 1000). */
const QUALITY_FILLS = 1_000;

/**
 * What the dashboard's charts draw: each portfolio's PnL over the last minutes (sampled here, see
 * PnlHistory), one instrument's book on every venue, level by level, for the consolidated depth
 * chart, and each venue's markout curve and slippage distribution over the recent fills
 * (executionQuality). Read role, like every view.
 */
export function chartRoutes({ state, now }: GatewayDependencies): Route[] {
  const pnl = new PnlHistory(state, now);
  const mids = new MidHistory();
  state.onChange((change) => {
    if (change.type === 'book') mids.record(change.data);
  });
  return [
    {
      method: 'GET',
      path: '/charts/pnl',
      role: 'read',
      handle: async ({ query }) => {
        const parameters = queryParameters(query, ['portfolio']);
        return ok({ asOfMs: now(), ...pnl.report(present(parameters, 'portfolio') ? portfolioField(parameters) : undefined) });
      },
    },
    {
      method: 'GET',
      path: '/charts/execution-quality',
      role: 'read',
      handle: async ({ query }) => {
        const parameters = queryParameters(query, ['portfolio']);
        const fills = state.execution.recentFills(QUALITY_FILLS, present(parameters, 'portfolio') ? portfolioField(parameters) : undefined);
        return ok({ asOfMs: now(), ...executionQuality(fills, mids, state.execution) });
      },
    },
    {
      method: 'GET',
      path: '/charts/depth',
      role: 'read',
      handle: async ({ query }) => {
        const instrument = instrumentField(queryParameters(query, ['instrument', 'limit']));
        const levels = queryLimit(query, 20, 200);
        const venues = [...state.books.values()]
          .filter((book) => book.instrument === instrument)
          .sort((a, b) => a.venue.localeCompare(b.venue))
          .map(({ venue, receivedAtMs, bids, asks }) => ({ venue, receivedAtMs, bids: bids.slice(0, levels), asks: asks.slice(0, levels) }));
        return ok({ asOfMs: now(), instrument, venues });
      },
    },
  ];
}

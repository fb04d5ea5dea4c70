import { routeIntent } from '@crossvenue/processors/router';
import type { Intent } from '@crossvenue/schemas';
import { invalid } from '../http/HttpError.ts';
import { parseOrderRequest } from '../requests/orderRequest.ts';
import { ok, type GatewayDependencies, type Route } from './Route.ts';

/** A preview has no portfolio of its own unless the caller names one; routing does not depend on it. */
const PREVIEW_PORTFOLIO = 'preview';

/**
 * `POST /execution/route_preview`: the router's plan for an order (the unified_order body) over
 * the books, symbol rules, venue health and balances the gateway holds, with the same router code
 * the execution path runs; nothing is published or placed. The real decision is made again when
 * the order is sent, over the books of that moment.
 */
export function previewRoute({ state, now }: GatewayDependencies): Route {
  return {
    method: 'POST',
    path: '/execution/route_preview',
    role: 'read',
    handle: async ({ body, principal }) => {
      const nowMs = now();
      const request = parseOrderRequest({ portfolio: PREVIEW_PORTFOLIO, ...(await body()) });
      if (request.algo !== null) throw invalid('algo', 'a TWAP is routed slice by slice as its schedule runs: preview one slice (its amount / slices) without algo');
      if (request.order.icebergQuantity !== null) throw invalid('icebergQuantity', 'an iceberg is routed slice by slice: preview one slice (icebergQuantity as the amount) without icebergQuantity');
      const intent: Intent = {
        eventId: `preview-${nowMs}`,
        intentId: 'preview',
        ...request,
        action: 'PLACE',
        kind: 'ORDER',
        targetQuantity: null,
        algo: null,
        group: null,
        reroutes: null,
        avoidVenues: [],
        flattens: false,
        source: 'API',
        requestedBy: principal.name,
        createdAtMs: nowMs,
      };
      const { eventId: _eventId, intentId: _intentId, ...plan } = routeIntent(intent, state.market, nowMs);
      return ok({ preview: true, requested: request.order, ...plan });
    },
  };
}

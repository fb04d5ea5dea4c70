import type { Order } from 'ccxt';
import type { ConnectorContext } from './ConnectorContext.ts';
import { errorMessage, failureKind } from './failureKind.ts';
import { ourClientOrderId } from './VenueCapabilities.ts';

export type Lookup = { kind: 'found'; order: Order } | { kind: 'not-found' } | { kind: 'unknown'; reason: string };

/**
 * The venue's answer about one order by our client order id (open or finished), the way its
 * capability row says the venue can be asked. A venue that cannot be asked gives no answer, so an
 * UNKNOWN order stays UNKNOWN until the user stream or the open-orders list shows it.
 */
export async function lookupOrder(context: ConnectorContext, instrument: string, clientOrderId: string): Promise<Lookup> {
  const { exchange, capabilities, health } = context;
  const { byClientOrderId } = capabilities;
  if (byClientOrderId.lookup === 'none') return { kind: 'unknown', reason: byClientOrderId.reason };
  const params = byClientOrderId.params(capabilities.clientOrderIds.toVenue(clientOrderId));
  try {
    if (byClientOrderId.lookup === 'fetch-order') return { kind: 'found', order: await health.measure(() => exchange.fetchOrder('', instrument, params)) };
    // Lists filtered by the id: both empty is the venue saying it has no such order.
    for (const list of [() => exchange.fetchOpenOrders(instrument, undefined, undefined, params), () => exchange.fetchClosedOrders(instrument, undefined, undefined, params)]) {
      const order = (await health.measure(list)).find((candidate) => ourClientOrderId(capabilities, candidate.clientOrderId) === clientOrderId);
      if (order) return { kind: 'found', order };
    }
    return { kind: 'not-found' };
  } catch (error) {
    return failureKind(error) === 'not-found' ? { kind: 'not-found' } : { kind: 'unknown', reason: errorMessage(error) };
  }
}

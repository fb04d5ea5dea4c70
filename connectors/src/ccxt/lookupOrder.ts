import type { Order } from 'ccxt';
import type { ConnectorContext } from './ConnectorContext.ts';
import { errorMessage, failureKind } from './failureKind.ts';

export type Lookup = { kind: 'found'; order: Order } | { kind: 'not-found' } | { kind: 'unknown'; reason: string };

/** The venue's answer about one order by our client order id (open or finished). */
export async function lookupOrder(context: ConnectorContext, instrument: string, clientOrderId: string): Promise<Lookup> {
  const { exchange, capabilities, health } = context;
  try {
    const params = capabilities.byClientOrderId(clientOrderId);
    return { kind: 'found', order: await health.measure(() => exchange.fetchOrder('', instrument, params)) };
  } catch (error) {
    return failureKind(error) === 'not-found' ? { kind: 'not-found' } : { kind: 'unknown', reason: errorMessage(error) };
  }
}

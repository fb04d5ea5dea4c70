import { createHash } from 'node:crypto';
import type { Fill } from '@crossvenue/schemas';

/**
 * Ids the synchronizer derives from the leader event it copies and the follower, never from a
 * clock or a counter: a leader fill delivered again (a restart, a rebalance, the connector
 * reporting a trade twice under a new event id) yields the same follower intent id and event id,
 * and the execution side drops an intent message it has already read (PortfolioExecution: a
 * second decision for the same intent event is dropped; a PLACE of an existing intent is refused).
 */

/** A leader fill, by its identity (venue, account, venue trade id), not its event id. */
export function fillKey(fill: Pick<Fill, 'venue' | 'account' | 'venueTradeId'>): string {
  return `${fill.venue}:${fill.account}:${fill.venueTradeId}`;
}

/** A leader order, by its client order id on its venue account. */
export function orderKey(order: { venue: string; account: string; clientOrderId: string }): string {
  return `${order.venue}:${order.account}:${order.clientOrderId}`;
}

/** The follower intent that copies a leader fill (`f`) or a leader resting order (`o`). */
export function copyIntentId(follower: string, kind: 'f' | 'o', leaderKey: string): string {
  return `sync-${follower}-${kind}-${digest(leaderKey)}`;
}

/** A short, stable digest of a text: ids derived from content (a configuration) rather than a clock. */
export function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 24);
}

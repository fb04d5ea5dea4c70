/**
 * What people are told an alert is about, by its code. These codes are the contract between the
 * workers that raise alerts and the notifier:
 * - venue down: STALE_VENUE, the reconciler, when a venue account's snapshots stop; VENUE_DOWN is
 *   kept for a connector whose venue health turns DOWN (no connector raises it yet).
 * - discrepancy: the reconciler, when an order's state at the venue differs from ours.
 * - drift: the reconciler, when a position or balance at the venue differs from ours.
 * - kill switch: the execution worker, when it applies a kill switch engaged or released.
 * - drawdown stop: the execution worker, when a market move takes a scope below its drawdown stop
 *   or back above it.
 * - worker down: WORKER_DOWN, for whoever supervises the workers (`crossvenue up`), subject = the
 *   process id.
 * A code not listed here is still sent, under its own name (BOOK_RESYNC is "book resync").
 */
const KIND_OF_CODE: Readonly<Record<string, string>> = {
  STALE_VENUE: 'venue down',
  VENUE_DOWN: 'venue down',
  ORDER_MISSING_AT_VENUE: 'discrepancy',
  UNKNOWN_ORDER_AT_VENUE: 'discrepancy',
  QUANTITY_MISMATCH: 'discrepancy',
  POSITION_MISMATCH: 'drift',
  BALANCE_MISMATCH: 'drift',
  KILL_SWITCH: 'kill switch',
  DRAWDOWN_STOP: 'drawdown stop',
  WORKER_DOWN: 'worker down',
};

export function kindOf(code: string): string {
  return KIND_OF_CODE[code] ?? code.toLowerCase().replace(/_/g, ' ');
}

/**
 * Kinds whose repeats are never folded into one message. A kill switch is a person's decision
 * that changes what trades, not a condition that repeats: an engage, a release and an engage
 * again within minutes are three things to say.
 */
export function foldsRepeats(kind: string): boolean {
  return kind !== 'kill switch';
}

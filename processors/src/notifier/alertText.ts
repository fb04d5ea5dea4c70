import type { Alert } from '@crossvenue/schemas';

/** Repeats of one condition that were not sent since its last message (AlertGate). */
export interface Folded {
  count: number;
  sinceMs: number;
}

/**
 * The text people read, the same on every channel: severity, kind and where on the first line,
 * the producer's message as it wrote it (numbers as rounded there), then the code, the component
 * and the time in UTC, and how many repeats were not sent since the last message.
 *
 *   [CRITICAL] venue down: binance/main
 *   binance/main: no snapshot for 65000 ms; not reconciled until snapshots resume
 *   STALE_VENUE from reconciler at 2024-05-13T16:04:16.000Z
 */
export function alertText(alert: Alert, kind: string, folded: Folded | null): string {
  const place = [[alert.venue, alert.account].filter((part) => part !== null).join('/'), alert.subject ?? '']
    .filter(Boolean)
    .join(' · ');
  const lines = [
    `[${alert.severity}] ${kind}${place ? `: ${place}` : ''}`,
    alert.message,
    `${alert.code} from ${alert.component} at ${new Date(alert.raisedAtMs).toISOString()}`,
  ];
  if (folded && folded.count > 0) {
    lines.push(`(${folded.count} more like this since ${new Date(folded.sinceMs).toISOString()} were not sent)`);
  }
  return lines.join('\n');
}

/** Alerts a channel's rate limit held back, by kind, and the window they fell in. */
export function heldBackText(held: ReadonlyMap<string, number>, fromMs: number, toMs: number): string {
  const total = [...held.values()].reduce((sum, count) => sum + count, 0);
  const kinds = [...held].map(([kind, count]) => `${count} ${kind}`).join(', ');
  return [
    `[WARNING] rate limit: ${total} alert${total === 1 ? '' : 's'} not sent (${kinds})`,
    `between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}; every alert is on ops.alerts and in the audit log`,
  ].join('\n');
}

const MARKER = '\n… (truncated)';

/**
 * `text` escaped for a channel, and cut with a marker so that what is posted is at most `limit`
 * UTF-16 units. Escaping lengthens the text by an amount that depends on where it is cut, so the
 * longest cut that still fits is searched for.
 */
export function fit(text: string, limit: number, escape: (text: string) => string = (same) => same): string {
  const posted = (budget: number) => escape(truncate(text, budget));
  if (posted(limit).length <= limit) return posted(limit);
  // The marker alone always fits; `limit` does not.
  let [fits, tooLong] = [MARKER.length, limit];
  while (tooLong - fits > 1) {
    const middle = Math.floor((fits + tooLong) / 2);
    if (posted(middle).length <= limit) fits = middle;
    else tooLong = middle;
  }
  return posted(fits);
}

/** Cuts `text` to at most `limit` UTF-16 units, marker included, never inside a surrogate pair. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = limit - MARKER.length;
  if (/[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut -= 1;
  return `${text.slice(0, cut)}${MARKER}`;
}

import type { IntentState } from '../messages/IntentStatus.ts';

/** The states after which an intent changes no more: DONE, CANCELED, EXPIRED and REJECTED. */
export const FINAL_INTENT_STATES: ReadonlySet<IntentState> = new Set(['DONE', 'CANCELED', 'EXPIRED', 'REJECTED']);

/** The event id of an intent's status record number `number` (from 0): `<intentId>:status:<n>`, so a gap or a repeat shows. */
export function intentStatusEventId(intentId: string, number: number): string {
  return `${intentId}:status:${number}`;
}

/** The number of a status record from its event id, or null for an id not made by intentStatusEventId. */
export function statusNumber(eventId: string): number | null {
  const match = /:status:(\d+)$/.exec(eventId);
  return match ? Number(match[1]) : null;
}

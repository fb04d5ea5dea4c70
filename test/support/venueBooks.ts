import { randomUUID } from 'node:crypto';
import type { EmbeddedRun } from '@crossvenue/cli';
import { waitFor } from '@crossvenue/runtime/testing';
import { TOPICS, type BookSnapshot } from '@crossvenue/schemas';

/** Waits until the run has published a book of `instrument` from each of its simulated venues: the router can route it then. */
export async function booksOfEveryVenue(run: EmbeddedRun, instrument: string, timeoutMs: number): Promise<void> {
  const venues = new Set<string>();
  await run.messages.subscribe({
    groupId: `books-${randomUUID()}`,
    topics: [TOPICS.bookSnapshots],
    fromBeginning: true,
    handle: async (batch) => {
      for (const { value } of batch) if ((value as BookSnapshot).instrument === instrument) venues.add((value as BookSnapshot).venue);
    },
  });
  await waitFor(`${instrument} books of every venue`, () => venues.size === run.venues.endpoints.length, timeoutMs);
}

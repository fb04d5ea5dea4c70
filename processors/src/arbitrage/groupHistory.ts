import { TOPICS, type ArbitrageGroup } from '@crossvenue/schemas';
import { readRanges, type Logger, type MessageBus } from '@crossvenue/runtime';
import type { VenueHoldings } from './VenueHoldings.ts';

/** Reading a worker's own groups at start: arb.groups is one partition, kept 90 days. */
const READ_TIMEOUT_MS = 120_000;

/**
 * Every record an arbitrage worker named `name` published on arb.groups, oldest first: what a
 * restarted worker rebuilds its holdings from (its state is otherwise in memory only).
 */
export async function readOwnGroups(messages: MessageBus, name: string): Promise<ArbitrageGroup[]> {
  const records: ArbitrageGroup[] = [];
  const starts = (await messages.bus.endOffsets(TOPICS.arbitrageGroups.name)).map(({ partition }) => ({ topic: TOPICS.arbitrageGroups.name, partition, offset: 0n }));
  await readRanges(messages, [TOPICS.arbitrageGroups], starts, ({ value }) => void (value.strategy === name && records.push(value)), { what: `arb.groups of ${name}`, timeoutMs: READ_TIMEOUT_MS });
  return records;
}

/**
 * The closing record of every group, in order, each leg's fills added to `holdings` (what each
 * venue's holding moved by over them all). A group whose closing record is missing
 * (open when the worker stopped) cannot be counted: its legs' fills are not in any record, so it
 * is logged as a warning for someone to look at the portfolio's positions.
 */
export function closedGroups(records: readonly ArbitrageGroup[], logger: Logger, holdings: VenueHoldings): ArbitrageGroup[] {
  // A record delivered twice (a producer's retry) is one record.
  const unique = [...new Map(records.map((record) => [record.eventId, record])).values()];
  const closed = unique.filter((record) => record.state !== 'OPEN');
  const closedIds = new Set(closed.map((record) => record.groupId));
  for (const open of unique.filter((record) => record.state === 'OPEN' && !closedIds.has(record.groupId))) {
    logger.warn({ group: open.groupId }, `arbitrage group ${open.groupId} was open when the worker stopped: whatever its legs filled is in the portfolio's positions, not in the holdings restored`);
  }
  for (const record of closed) for (const leg of record.legs) holdings.add(leg.venue, leg.side, leg.filledQuantity);
  return closed;
}

import type { Decimal } from '@crossvenue/schemas';
import { depthWithin, type PreparedVenue } from './PreparedVenue.ts';
import { NO_COST } from './legCost.ts';
import type { CandidateReport, PlannedLeg } from './RoutePlan.ts';

/** The audit line for one candidate: the leg's figures when it got one, else zeros and the reason. */
export function candidateReport(venue: PreparedVenue, limit: Decimal | null, leg: PlannedLeg | undefined, reason: string): CandidateReport {
  const { venue: name, account } = venue.candidate;
  const availableQuantity = depthWithin(venue, limit);
  if (leg === undefined) return { venue: name, account, availableQuantity, expectedAveragePrice: null, ...NO_COST, chosen: false, reason };
  const { expectedAveragePrice, expectedFee, latencyPenalty, stalenessPenalty, healthPenalty, expectedCost } = leg;
  return {
    venue: name,
    account,
    availableQuantity,
    expectedAveragePrice,
    expectedFee,
    latencyPenalty,
    stalenessPenalty,
    healthPenalty,
    expectedCost,
    chosen: true,
    reason,
  };
}

/** Best bid / best ask mid across healthy venues (both book sides are on every candidate). */
export function arrivalMid(venues: readonly PreparedVenue[]): Decimal | null {
  let bestBid: Decimal | null = null;
  let bestAsk: Decimal | null = null;
  for (const { candidate } of venues) {
    if (candidate.condition.state !== 'HEALTHY') continue;
    const bid = candidate.bids[0]?.price;
    const ask = candidate.asks[0]?.price;
    if (bid && (bestBid === null || bid.gt(bestBid))) bestBid = bid;
    if (ask && (bestAsk === null || ask.lt(bestAsk))) bestAsk = ask;
  }
  return bestBid && bestAsk ? bestBid.plus(bestAsk).div(2) : null;
}

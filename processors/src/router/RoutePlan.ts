import type { Decimal } from '@crossvenue/schemas';
import type { RouteRequest } from './RouteRequest.ts';

/** The money figures of a leg or a candidate, in the quote currency. */
export interface CostBreakdown {
  expectedFee: Decimal;
  latencyPenalty: Decimal;
  stalenessPenalty: Decimal;
  healthPenalty: Decimal;
  /** What a buy pays, or minus what a sell receives, plus fee and penalties: lower is better. */
  expectedCost: Decimal;
}

export interface PlannedLeg extends CostBreakdown {
  leg: number;
  venue: string;
  account: string;
  /** Base asset, a multiple of the venue's lot. */
  quantity: Decimal;
  /** The worst book price the leg reaches, or the intent's limit for a resting (maker) part. */
  limitPrice: Decimal;
  expectedAveragePrice: Decimal;
  /** Price x quantity over the leg, taken and resting, in the quote currency. */
  expectedNotional: Decimal;
  /** Part of `quantity` expected to rest in the book as a maker order rather than take now. */
  restingQuantity: Decimal;
}

export interface CandidateReport extends CostBreakdown {
  venue: string;
  account: string;
  /** Book quantity within the limit price, in the base asset. */
  availableQuantity: Decimal;
  expectedAveragePrice: Decimal | null;
  chosen: boolean;
  reason: string;
}

export interface RoutePlan {
  request: RouteRequest;
  legs: PlannedLeg[];
  candidates: CandidateReport[];
  /** Base quantity across all legs. */
  routedQuantity: Decimal;
  /** What was asked and is in no leg, in the unit of the amount (base, or quote for a QUOTE amount). */
  unroutedAmount: Decimal;
  totalExpectedCost: Decimal;
  /** Best bid and best ask mid across usable venues, to measure slippage later; null if one side is empty. */
  arrivalMid: Decimal | null;
}

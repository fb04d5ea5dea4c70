import { decimal, NAMESPACE, ref, type Infer } from '../avro/AvroSchema.ts';
import { SideSchema } from './enums.ts';
import { field } from './fields.ts';
import { IntentSchema } from './Intent.ts';

/**
 * Costs are in the quote currency and signed so that lower is better for either side: what a buy
 * pays, or the negative of what a sell receives, plus fees and penalties.
 */
export const RouteCandidateSchema = {
  type: 'record',
  name: 'RouteCandidate',
  namespace: NAMESPACE,
  doc: 'One venue account the router considered, chosen or not, with the numbers it compared.',
  fields: [
    field.venue,
    field.account,
    { name: 'availableQuantity', type: decimal, doc: 'Book quantity within the limit price, in the base asset.' },
    { name: 'expectedAveragePrice', type: ['null', decimal], default: null, doc: 'Null when nothing is available.' },
    { name: 'expectedFee', type: decimal },
    { name: 'latencyPenalty', type: decimal },
    { name: 'stalenessPenalty', type: decimal },
    { name: 'healthPenalty', type: decimal },
    { name: 'expectedTotalCost', type: decimal },
    { name: 'chosen', type: 'boolean' },
    { name: 'reason', type: 'string', doc: 'Why chosen or not, e.g. "venue DEGRADED", "below min notional".' },
  ],
} as const;
export type RouteCandidate = Infer<typeof RouteCandidateSchema>;

export const RouteLegSchema = {
  type: 'record',
  name: 'RouteLeg',
  namespace: NAMESPACE,
  doc: 'One child order of the plan.',
  fields: [
    { name: 'leg', type: 'int', doc: 'Leg index; with the intent id and attempt it derives the client order id.' },
    field.venue,
    field.account,
    { name: 'quantity', type: decimal, doc: 'In the base asset.' },
    { name: 'limitPrice', type: ['null', decimal], default: null },
    { name: 'expectedAveragePrice', type: decimal },
    { name: 'expectedFee', type: decimal },
  ],
} as const;
export type RouteLeg = Infer<typeof RouteLegSchema>;

export const QuoteConversionSchema = {
  type: 'record',
  name: 'QuoteConversion',
  namespace: NAMESPACE,
  doc: 'An amount given in the quote currency, as the base amount the intent is held to from this decision on (its legs, re-routes and the overfill cap count in base).',
  fields: [
    { name: 'quoteAmount', type: decimal, doc: 'The amount the intent gave, in the quote currency.' },
    { name: 'price', type: decimal, doc: "The price it was converted at: the legs' expected average price, or the best mid across venues when nothing was routed." },
    { name: 'baseAmount', type: decimal, doc: 'The base quantity of the legs, plus the quote amount left unrouted at `price` in whole lots of the finest lot among the venues weighed, rounded down (18 decimal places at most).' },
  ],
} as const;
export type QuoteConversion = Infer<typeof QuoteConversionSchema>;

export const RouteDecisionSchema = {
  type: 'record',
  name: 'RouteDecision',
  namespace: NAMESPACE,
  doc: 'How the router split one intent message across venues, with every candidate it weighed (audited). The router answers every intent message it reads, a CANCEL too (with no legs), and the answer carries the message: the execution side reads intents only this way, keyed by portfolio, in the order the router read them.',
  fields: [
    field.eventId,
    field.intentId,
    field.portfolio,
    field.instrument,
    {
      name: 'intent',
      type: ['null', IntentSchema],
      default: null,
      doc: 'The intent message decided: its terms, as the router read them. Null only in decisions made before routers carried it, which the execution side refuses.',
    },
    { name: 'side', type: ['null', ref(SideSchema)], default: null, doc: 'Null for a CANCEL, which routes nothing.' },
    { name: 'quantity', type: decimal, doc: 'Quantity routed, in the base asset.' },
    { name: 'candidates', type: { type: 'array', items: RouteCandidateSchema } },
    { name: 'legs', type: { type: 'array', items: RouteLegSchema } },
    { name: 'totalExpectedCost', type: decimal },
    { name: 'costCurrency', type: 'string' },
    {
      name: 'arrivalMid',
      type: ['null', decimal],
      default: null,
      doc: 'Best mid across venues when the decision was made, to measure slippage later.',
    },
    { name: 'decidedAtMs', type: 'long' },
    {
      name: 'conversion',
      type: ['null', QuoteConversionSchema],
      default: null,
      doc: 'For a PLACE whose amount is in the quote currency, the base amount it was converted to at the book of this decision; null otherwise, and when no price was there to convert at (the execution side then rejects the intent).',
    },
  ],
} as const;
export type RouteDecision = Infer<typeof RouteDecisionSchema>;

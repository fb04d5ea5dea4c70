import { decimal, NAMESPACE, ref, type Infer } from '../avro/AvroSchema.ts';
import { SideSchema } from './enums.ts';
import { field } from './fields.ts';

/**
 * The opportunity an order group trades. SPOT_SPREAD: buy the instrument on one venue, sell it on
 * another, at once. BASIS: a spot against a perpetual, held for the perpetual's funding (long spot,
 * short perpetual when longs pay). FUNDING_SPREAD: two perpetuals, long where funding costs less,
 * short where it pays more. A BASIS or FUNDING_SPREAD position takes two groups: one opens it, one
 * closes it, sharing `positionId`.
 */
export const ArbitrageKindSchema = {
  type: 'enum',
  name: 'ArbitrageKind',
  namespace: NAMESPACE,
  symbols: ['SPOT_SPREAD', 'BASIS', 'FUNDING_SPREAD'],
} as const;
export type ArbitrageKind = Infer<typeof ArbitrageKindSchema>;

/**
 * How a group keeps from being left with one leg. BOTH_IOC: both legs IOC at once; whatever one
 * filled beyond the other is unwound within a cost limit. MAKER_TAKER: a post-only order rests on
 * one venue and every fill of it, one arriving during its cancel too, is hedged on the other.
 * FINISH_OR_UNWIND: a leg that fails is sent again for a set time; after that the other leg is unwound.
 */
export const LegRiskPolicySchema = {
  type: 'enum',
  name: 'LegRiskPolicy',
  namespace: NAMESPACE,
  symbols: ['BOTH_IOC', 'MAKER_TAKER', 'FINISH_OR_UNWIND'],
} as const;
export type LegRiskPolicy = Infer<typeof LegRiskPolicySchema>;

/**
 * OPEN: legs sent, not all done. CAPTURED: both sides filled the same quantity (all or part of the
 * plan). UNWOUND: one side fell short and the excess of the other was traded back. MISSED: nothing
 * filled on either side. EXPOSED: the unwind did not bring the group flat within its limits; the
 * residual is open and an alert says so.
 */
export const ArbitrageGroupStateSchema = {
  type: 'enum',
  name: 'ArbitrageGroupState',
  namespace: NAMESPACE,
  symbols: ['OPEN', 'CAPTURED', 'UNWOUND', 'MISSED', 'EXPOSED'],
} as const;
export type ArbitrageGroupState = Infer<typeof ArbitrageGroupStateSchema>;

/** ENTRY: one of the two planned sides. HEDGE: a taker order hedging a maker fill. RETRY: a failed side sent again. UNWIND: an excess traded back. */
export const ArbitrageLegRoleSchema = {
  type: 'enum',
  name: 'ArbitrageLegRole',
  namespace: NAMESPACE,
  symbols: ['ENTRY', 'HEDGE', 'RETRY', 'UNWIND'],
} as const;
export type ArbitrageLegRole = Infer<typeof ArbitrageLegRoleSchema>;

export const ArbitrageLegSchema = {
  type: 'record',
  name: 'ArbitrageLeg',
  namespace: NAMESPACE,
  doc: 'One intent the group sent, with what it got and how long it took.',
  fields: [
    { name: 'role', type: ArbitrageLegRoleSchema },
    field.venue,
    { name: 'instrument', type: ['null', 'string'], default: null, doc: 'What the leg traded on its venue; null in records written before legs named it (the group\'s instrument).' },
    { name: 'side', type: SideSchema },
    field.intentId,
    { name: 'requestedQuantity', type: decimal, doc: 'In the base asset.' },
    { name: 'limitPrice', type: ['null', decimal], default: null },
    { name: 'filledQuantity', type: decimal, doc: 'In the base asset.' },
    { name: 'averagePrice', type: ['null', decimal], default: null, doc: 'Null when nothing filled.' },
    { name: 'fees', type: decimal, doc: 'In the quote currency (a fee charged in the base asset is valued at the fill price).' },
    { name: 'sentAtMs', type: 'long' },
    { name: 'doneAtMs', type: ['null', 'long'], default: null, doc: 'When the intent ended (filled, expired, cancelled, refused); null while working.' },
    { name: 'outcome', type: 'string', doc: 'How it ended, e.g. "filled", "expired with 0.2 of 0.5", "refused: venue DOWN".' },
  ],
} as const;
export type ArbitrageLeg = Infer<typeof ArbitrageLegSchema>;

export const ArbitrageGroupSchema = {
  type: 'record',
  name: 'ArbitrageGroup',
  namespace: NAMESPACE,
  doc: 'One arbitrage order group: the opportunity it was opened on, its legs, retries, hedges and unwinds, and the edge it realized (audited). Published when the group opens and when it closes.',
  fields: [
    { ...field.eventId, doc: '<groupId>:<state>: the open and the close of a group are two records.' },
    { name: 'groupId', type: 'string' },
    { name: 'strategy', type: 'string', doc: 'The arbitrage worker that opened it, as configured.' },
    field.portfolio,
    { name: 'kind', type: ArbitrageKindSchema },
    { name: 'policy', type: LegRiskPolicySchema },
    { name: 'state', type: ArbitrageGroupStateSchema },
    { ...field.instrument, doc: 'What the group buys on buyVenue, and sells on sellVenue unless sellInstrument names another.' },
    { name: 'sellInstrument', type: ['null', 'string'], default: null, doc: 'What it sells on sellVenue when that is not `instrument` (BASIS, FUNDING_SPREAD); null: the same.' },
    { name: 'buyVenue', type: 'string' },
    { name: 'sellVenue', type: 'string' },
    { name: 'plannedQuantity', type: decimal, doc: 'In the base asset.' },
    { name: 'expectedBuyPrice', type: decimal, doc: 'Average price of the plan on the buy venue, walking its book at size.' },
    { name: 'expectedSellPrice', type: decimal },
    { name: 'expectedEdge', type: decimal, doc: 'Quote currency, net of both sides\' fees, at the planned quantity.' },
    { name: 'expectedEdgeBps', type: decimal, doc: 'Expected edge over the buy notional, in basis points.' },
    { name: 'legs', type: { type: 'array', items: ArbitrageLegSchema } },
    { name: 'boughtQuantity', type: decimal, doc: 'Net base asset bought by the group\'s legs, unwinds included.' },
    { name: 'soldQuantity', type: decimal },
    { name: 'residualQuantity', type: decimal, doc: 'Bought minus sold: zero for a flat group; positive is long the base asset.' },
    { name: 'realizedEdge', type: ['null', decimal], default: null, doc: 'Quote currency, after every leg\'s fees and the unwinds; null while open.' },
    { name: 'unwindCost', type: ['null', decimal], default: null, doc: 'What the unwinds cost against the entry prices, fees included; null when none.' },
    { name: 'residualSide', type: ['null', ref(SideSchema)], default: null, doc: 'For an EXPOSED group, the side that would flatten it.' },
    { name: 'positionId', type: ['null', 'string'], default: null, doc: 'BASIS and FUNDING_SPREAD: the funding position the group opens or closes (the opening group\'s id); null for SPOT_SPREAD.' },
    { name: 'expectedFundingApr', type: ['null', decimal], default: null, doc: 'BASIS and FUNDING_SPREAD: the funding differential the decision saw, annualized (0.2 = 20 % a year): what the short side receives less what the long side pays.' },
    { name: 'fundingCollected', type: ['null', decimal], default: null, doc: 'On the record closing a funding position: the funding its perpetual legs received (positive) or paid while it was held, in the quote currency, as the venues had listed it by then.' },
    { name: 'reason', type: 'string' },
    { name: 'openedAtMs', type: 'long' },
    { name: 'closedAtMs', type: ['null', 'long'], default: null },
  ],
} as const;
export type ArbitrageGroup = Infer<typeof ArbitrageGroupSchema>;

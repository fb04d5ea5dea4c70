import { decimal, NAMESPACE, type Infer } from '../avro/AvroSchema.ts';
import { SideSchema } from './enums.ts';
import { field } from './fields.ts';
import { AlgoTypeSchema, IntentSourceSchema } from './Intent.ts';
import { FeeTotalSchema } from './Position.ts';

/**
 * Where an intent stands, after FIX 4.4 OrdStatus: ACCEPTED (New: taken, nothing working yet),
 * WORKING (legs at venues or a route awaited, nothing filled), PARTIALLY_FILLED, and the ends:
 * DONE (Filled), CANCELED, EXPIRED (time in force or the re-route policy ended what was left),
 * REJECTED (refused: nothing was or will be executed).
 */
export const IntentStateSchema = {
  type: 'enum',
  name: 'IntentState',
  namespace: NAMESPACE,
  symbols: ['ACCEPTED', 'REJECTED', 'WORKING', 'PARTIALLY_FILLED', 'DONE', 'CANCELED', 'EXPIRED'],
} as const;
export type IntentState = Infer<typeof IntentStateSchema>;

export const AlgoProgressSchema = {
  type: 'record',
  name: 'AlgoProgress',
  namespace: NAMESPACE,
  doc: "An execution algorithm's schedule and how far it got.",
  fields: [
    { name: 'type', type: AlgoTypeSchema },
    { name: 'startedAtMs', type: 'long' },
    { name: 'endsAtMs', type: 'long' },
    { name: 'slices', type: 'int', doc: 'Slices in the schedule.' },
    { name: 'slicesSent', type: 'int', doc: 'Child intents sent so far (a slice refused or a catch-up counts too).' },
    { name: 'scheduledQuantity', type: decimal, doc: 'What the schedule wants filled by its latest slice time, in the base asset.' },
    { name: 'deviation', type: decimal, doc: 'filledQuantity - scheduledQuantity: negative is behind the schedule.' },
  ],
} as const;
export type AlgoProgress = Infer<typeof AlgoProgressSchema>;

export const IntentStatusSchema = {
  type: 'record',
  name: 'IntentStatus',
  namespace: NAMESPACE,
  doc: "What became of an intent: one record per change of its state, its terms or its cumulative filled quantity (a FIX ExecutionReport's OrdStatus, CumQty, LeavesQty and AvgPx), published by the execution side (audited).",
  fields: [
    {
      ...field.eventId,
      doc: '<intentId>:status:<n>, n counting the records of the intent from 0: a restarted execution worker reads back the last it published and goes on from there.',
    },
    field.intentId,
    field.portfolio,
    field.instrument,
    { name: 'side', type: SideSchema },
    { name: 'source', type: IntentSourceSchema, doc: 'Who asked: the source of the intent message that created it.' },
    { name: 'state', type: IntentStateSchema },
    { name: 'rule', type: ['null', 'string'], default: null, doc: 'What refused or ended it: the risk rule, the unsupported intent field, or the routing rule. Null unless REJECTED or EXPIRED.' },
    { name: 'reason', type: ['null', 'string'], default: null, doc: 'One line saying why, beside the rule.' },
    { name: 'requestedQuantity', type: decimal, doc: "The amount of the intent's current terms, in the base asset (FIX OrderQty)." },
    { name: 'filledQuantity', type: decimal, doc: 'Cumulative quantity executed across every leg, in the base asset (FIX CumQty).' },
    { name: 'leavesQuantity', type: decimal, doc: 'Quantity still working at venues or still to be routed; 0 once the intent has ended (FIX LeavesQty).' },
    { name: 'averagePrice', type: ['null', decimal], default: null, doc: 'Volume-weighted price of the fills held; null before the first (FIX AvgPx).' },
    { name: 'fees', type: { type: 'array', items: FeeTotalSchema }, doc: 'Fees paid so far, per currency.' },
    { name: 'algo', type: ['null', AlgoProgressSchema], default: null, doc: "An execution algorithm's schedule, progress and deviation; null for other intents." },
    { name: 'updatedAtMs', type: 'long', doc: 'When the execution side derived this status, epoch ms.' },
  ],
} as const;
export type IntentStatus = Infer<typeof IntentStatusSchema>;

import { decimal, NAMESPACE, type Infer } from '../avro/AvroSchema.ts';
import { field } from './fields.ts';

export const RiskOutcomeSchema = {
  type: 'enum',
  name: 'RiskOutcome',
  namespace: NAMESPACE,
  symbols: ['APPROVED', 'REJECTED'],
} as const;
export type RiskOutcome = Infer<typeof RiskOutcomeSchema>;

export const RiskDecisionSchema = {
  type: 'record',
  name: 'RiskDecision',
  namespace: NAMESPACE,
  doc: 'The pre-trade risk verdict on one order command, or on an intent before routing (audited).',
  fields: [
    field.eventId,
    field.intentId,
    { name: 'commandId', type: ['null', 'string'], default: null, doc: 'Null when the intent itself was checked.' },
    field.portfolio,
    field.account,
    field.optionalVenue,
    { name: 'instrument', type: ['null', 'string'], default: null },
    { name: 'decision', type: RiskOutcomeSchema },
    { name: 'rule', type: 'string', doc: 'The rule that decided: the first that failed, or "all" when every rule passed.' },
    { name: 'limit', type: ['null', decimal], default: null, doc: "The rule's limit, in the rule's unit." },
    { name: 'value', type: ['null', decimal], default: null, doc: 'The value the command would bring the rule to.' },
    { name: 'message', type: 'string' },
    { name: 'decidedAtMs', type: 'long' },
  ],
} as const;
export type RiskDecision = Infer<typeof RiskDecisionSchema>;

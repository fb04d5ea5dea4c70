import { decimal, NAMESPACE, type Infer } from '../avro/AvroSchema.ts';
import { field } from './fields.ts';

export const DiscrepancyKindSchema = {
  type: 'enum',
  name: 'DiscrepancyKind',
  namespace: NAMESPACE,
  symbols: [
    'ORDER_MISSING_AT_VENUE',
    'UNKNOWN_ORDER_AT_VENUE',
    'QUANTITY_MISMATCH',
    'BALANCE_MISMATCH',
    'POSITION_MISMATCH',
    'STALE_VENUE',
  ],
} as const;
export type DiscrepancyKind = Infer<typeof DiscrepancyKindSchema>;

export const ReconciliationDiscrepancySchema = {
  type: 'record',
  name: 'ReconciliationDiscrepancy',
  namespace: NAMESPACE,
  doc: 'Internal state differed from the venue; the venue wins and `correction` says what we changed.',
  fields: [
    field.eventId,
    field.venue,
    field.account,
    field.portfolio,
    { name: 'kind', type: DiscrepancyKindSchema },
    { name: 'subject', type: 'string', doc: 'What differs: a client order id, an asset or an instrument.' },
    {
      name: 'internalValue',
      type: ['null', decimal],
      default: null,
      doc: 'Our quantity (open remainder, filled, balance total or position); null when we have no such order.',
    },
    { name: 'venueValue', type: ['null', decimal], default: null, doc: "The venue's quantity; null when the venue has none." },
    { name: 'correction', type: 'string', doc: 'What reconciliation changed, e.g. "order marked CANCELED".' },
    { name: 'detectedAtMs', type: 'long' },
  ],
} as const;
export type ReconciliationDiscrepancy = Infer<typeof ReconciliationDiscrepancySchema>;

import { decimal, NAMESPACE, type Infer } from '../avro/AvroSchema.ts';
import { field } from './fields.ts';

export const BalanceSchema = {
  type: 'record',
  name: 'Balance',
  namespace: NAMESPACE,
  fields: [
    { name: 'asset', type: 'string' },
    { name: 'free', type: decimal },
    { name: 'locked', type: decimal, doc: 'Held by open orders or margin.' },
    { name: 'total', type: decimal },
  ],
} as const;
export type Balance = Infer<typeof BalanceSchema>;

export const BalanceSnapshotSchema = {
  type: 'record',
  name: 'BalanceSnapshot',
  namespace: NAMESPACE,
  doc: 'Balances of one account as the venue reports them.',
  fields: [
    field.eventId,
    field.venue,
    field.account,
    field.portfolio,
    {
      name: 'complete',
      type: 'boolean',
      doc: 'True when balances lists every asset (a REST snapshot); false for an update of changed assets only (Binance outboundAccountPosition).',
    },
    { name: 'balances', type: { type: 'array', items: BalanceSchema } },
    field.optionalVenueTimeMs,
    field.receivedAtMs,
  ],
} as const;
export type BalanceSnapshot = Infer<typeof BalanceSnapshotSchema>;

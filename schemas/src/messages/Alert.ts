import { NAMESPACE, type Infer } from '../avro/AvroSchema.ts';
import { field } from './fields.ts';

export const AlertSeveritySchema = {
  type: 'enum',
  name: 'AlertSeverity',
  namespace: NAMESPACE,
  doc: 'CRITICAL wakes someone up.',
  symbols: ['INFO', 'WARNING', 'CRITICAL'],
} as const;
export type AlertSeverity = Infer<typeof AlertSeveritySchema>;

export const AlertSchema = {
  type: 'record',
  name: 'Alert',
  namespace: NAMESPACE,
  fields: [
    field.eventId,
    { name: 'severity', type: AlertSeveritySchema },
    { name: 'code', type: 'string', doc: 'Stable machine key, e.g. VENUE_DOWN, for grouping and paging rules.' },
    { name: 'component', type: 'string', doc: 'The worker that raised it: router, reconciler, connector.' },
    field.optionalVenue,
    field.optionalAccount,
    {
      name: 'subject',
      type: ['null', 'string'],
      default: null,
      doc: 'What it is about within its venue and account: an order, asset, instrument, kill-switch scope or worker. Alerts with the same code, venue, account and subject are one condition to a notifier.',
    },
    { name: 'message', type: 'string' },
    { name: 'raisedAtMs', type: 'long' },
  ],
} as const;
export type Alert = Infer<typeof AlertSchema>;

import { decimal, NAMESPACE, type Infer } from '../avro/AvroSchema.ts';
import { field } from './fields.ts';

export const VenueStateSchema = {
  type: 'enum',
  name: 'VenueState',
  namespace: NAMESPACE,
  doc: 'DEGRADED: the router prefers other venues; DOWN: the router sends nothing there.',
  symbols: ['HEALTHY', 'DEGRADED', 'DOWN'],
} as const;
export type VenueState = Infer<typeof VenueStateSchema>;

export const VenueHealthSchema = {
  type: 'record',
  name: 'VenueHealth',
  namespace: NAMESPACE,
  doc: 'How usable a venue (or one account on it) is now, measured by its connector over a sliding window.',
  fields: [
    field.eventId,
    field.venue,
    { ...field.optionalAccount, doc: 'The account whose user stream and orders were measured; null for the public side of the venue.' },
    { name: 'state', type: VenueStateSchema },
    {
      name: 'bookStalenessMs',
      type: ['null', 'long'],
      default: null,
      doc: 'Time since the last book message; null when no book is subscribed.',
    },
    {
      name: 'userStreamStalenessMs',
      type: ['null', 'long'],
      default: null,
      doc: 'Time since the last user-stream message or keep-alive; null for the public side.',
    },
    { name: 'errorRate', type: decimal, doc: 'Fraction (0 to 1) of requests that failed in the window.' },
    { name: 'rejectRate', type: decimal, doc: 'Fraction (0 to 1) of orders the venue rejected in the window.' },
    {
      name: 'latencyP50Ms',
      type: ['null', 'long'],
      default: null,
      doc: 'Median request round trip; null when there were no requests in the window.',
    },
    { name: 'latencyP99Ms', type: ['null', 'long'], default: null },
    { name: 'windowMs', type: 'long', doc: 'The window the rates and latencies were measured over.' },
    { name: 'reason', type: 'string', doc: 'Why the state is what it is, e.g. "book stale 12000 ms > 5000 ms"; empty when HEALTHY.' },
    { name: 'observedAtMs', type: 'long' },
  ],
} as const;
export type VenueHealth = Infer<typeof VenueHealthSchema>;

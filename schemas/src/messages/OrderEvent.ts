import { decimal, NAMESPACE, ref, type Infer } from '../avro/AvroSchema.ts';
import { SideSchema } from './enums.ts';
import { field } from './fields.ts';

/** Our order state, never the venue's: the venue's own word is kept beside it in rawVenueStatus. */
export const OrderStateSchema = {
  type: 'enum',
  name: 'OrderState',
  namespace: NAMESPACE,
  doc: 'NEW: acknowledged and open. UNKNOWN: a submit whose outcome we do not know; only venue evidence resolves it.',
  symbols: [
    'PENDING_NEW',
    'NEW',
    'PARTIALLY_FILLED',
    'FILLED',
    'PENDING_CANCEL',
    'CANCELED',
    'REJECTED',
    'EXPIRED',
    'PENDING_AMEND',
    'UNKNOWN',
  ],
} as const;
export type OrderState = Infer<typeof OrderStateSchema>;

/** What happened to an order; (previous state, event) -> state is the order transition table. */
export const OrderEventTypeSchema = {
  type: 'enum',
  name: 'OrderEventType',
  namespace: NAMESPACE,
  doc: 'SUBMIT_UNKNOWN: the submit timed out or the connection dropped. NOT_FOUND: the venue confirms it has no such order.',
  symbols: [
    'SUBMITTED',
    'SUBMIT_UNKNOWN',
    'ACCEPTED',
    'REJECTED',
    'PARTIALLY_FILLED',
    'FILLED',
    'CANCEL_REQUESTED',
    'CANCEL_REJECTED',
    'CANCELED',
    'AMEND_REQUESTED',
    'AMEND_ACCEPTED',
    'AMEND_REJECTED',
    'EXPIRED',
    'NOT_FOUND',
  ],
} as const;
export type OrderEventType = Infer<typeof OrderEventTypeSchema>;

export const OrderEventSourceSchema = {
  type: 'enum',
  name: 'OrderEventSource',
  namespace: NAMESPACE,
  doc: 'VENUE: a venue stream or response; RECONCILIATION: found by comparing with the venue; INTERNAL: our own step (a submit sent).',
  symbols: ['VENUE', 'RECONCILIATION', 'INTERNAL'],
} as const;
export type OrderEventSource = Infer<typeof OrderEventSourceSchema>;

export const OrderEventSchema = {
  type: 'record',
  name: 'OrderEvent',
  namespace: NAMESPACE,
  doc: 'One applied transition of one child order.',
  fields: [
    field.eventId,
    field.clientOrderId,
    field.venueOrderId,
    field.intentId,
    field.portfolio,
    field.venue,
    field.account,
    field.instrument,
    { name: 'side', type: SideSchema },
    { name: 'previousState', type: OrderStateSchema },
    { name: 'state', type: ref(OrderStateSchema) },
    { name: 'event', type: OrderEventTypeSchema },
    {
      name: 'rawVenueStatus',
      type: ['null', 'string'],
      default: null,
      doc: 'The status exactly as the venue wrote it (Binance X, OKX state); null only for INTERNAL events.',
    },
    { name: 'filledQuantity', type: decimal, doc: 'Cumulative, in the venue order unit.' },
    { name: 'remainingQuantity', type: decimal, doc: 'Still open; 0 once the order is done.' },
    { name: 'limitPrice', type: ['null', decimal], default: null, doc: 'Current limit price, which an amend may have changed.' },
    { name: 'averagePrice', type: ['null', decimal], default: null, doc: 'Average fill price; null before any fill.' },
    { name: 'reason', type: ['null', 'string'], default: null, doc: 'Why, for rejections, cancels by the venue and expiries.' },
    field.optionalVenueTimeMs,
    field.receivedAtMs,
    { name: 'source', type: OrderEventSourceSchema },
  ],
} as const;
export type OrderEvent = Infer<typeof OrderEventSchema>;

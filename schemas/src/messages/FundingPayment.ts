import { decimal, NAMESPACE, type Infer } from '../avro/AvroSchema.ts';
import { field } from './fields.ts';

export const FundingPaymentSchema = {
  type: 'record',
  name: 'FundingPayment',
  namespace: NAMESPACE,
  doc: 'One funding payment a venue settled on an account\'s perpetual position, as the venue lists it (Binance USD-M income FUNDING_FEE). Positions fold each once, by its venue id, into the position\'s funding.',
  fields: [
    { ...field.eventId, doc: 'funding:<venue>:<account>:<fundingId>: the same payment listed again is the same record.' },
    field.venue,
    field.account,
    field.portfolio,
    field.instrument,
    { name: 'fundingId', type: 'string', doc: 'The venue\'s id of the payment (Binance tranId): with venue and account, its identity.' },
    { name: 'amount', type: decimal, doc: 'Signed: positive received, negative paid.' },
    { name: 'currency', type: 'string', doc: 'What it was paid in: the settle currency (USDT).' },
    field.venueTimeMs,
    field.receivedAtMs,
  ],
} as const;
export type FundingPayment = Infer<typeof FundingPaymentSchema>;

import { decimal, NAMESPACE, type Infer } from '../avro/AvroSchema.ts';
import { SideSchema } from './enums.ts';
import { field } from './fields.ts';

export const LiquiditySchema = {
  type: 'enum',
  name: 'Liquidity',
  namespace: NAMESPACE,
  symbols: ['MAKER', 'TAKER'],
} as const;
export type Liquidity = Infer<typeof LiquiditySchema>;

export const FillSourceSchema = {
  type: 'enum',
  name: 'FillSource',
  namespace: NAMESPACE,
  doc: 'VENUE: from the user stream or an order response; RECONCILIATION: found in the venue trade history.',
  symbols: ['VENUE', 'RECONCILIATION'],
} as const;
export type FillSource = Infer<typeof FillSourceSchema>;

export const FillSchema = {
  type: 'record',
  name: 'Fill',
  namespace: NAMESPACE,
  doc: 'One execution of one of our orders. Identity is (venue, account, venueTradeId): applied exactly once.',
  fields: [
    field.eventId,
    field.venue,
    field.account,
    field.portfolio,
    { name: 'venueTradeId', type: 'string' },
    { ...field.clientOrderId, doc: 'As the venue reports it; not ours when the order was placed outside Crossvenue.' },
    { name: 'venueOrderId', type: 'string' },
    { name: 'intentId', type: ['null', 'string'], default: null, doc: 'Null for an order placed outside Crossvenue.' },
    field.instrument,
    { name: 'side', type: SideSchema },
    { name: 'price', type: decimal },
    { name: 'quantity', type: decimal, doc: 'In the venue order unit.' },
    { name: 'fee', type: decimal, doc: 'Negative is a rebate.' },
    { name: 'feeCurrency', type: 'string' },
    { name: 'liquidity', type: LiquiditySchema },
    field.venueTimeMs,
    field.receivedAtMs,
    { name: 'source', type: FillSourceSchema },
  ],
} as const;
export type Fill = Infer<typeof FillSchema>;
